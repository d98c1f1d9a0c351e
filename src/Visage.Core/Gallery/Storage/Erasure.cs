namespace Visage.Gallery.Storage;

/// <summary>Rows of a gallery's tables: what <see cref="IGalleryStore.EraseAll"/> deleted, or what <see cref="GalleryArchive"/> copied.</summary>
/// <param name="Persons">Persons.</param>
/// <param name="Faces">Faces (descriptors, thumbnails, image hashes).</param>
/// <param name="Rejections">Rejected descriptors.</param>
/// <param name="Sightings">Sightings (named and unknown).</param>
public sealed record GalleryRows(long Persons, long Faces, long Rejections, long Sightings)
{
    /// <summary>The counts as the audit log and the CLI print them.</summary>
    public override string ToString() => $"{Persons} persons, {Faces} faces, {Rejections} rejections, {Sightings} sightings";
}

/// <summary>What one call of <see cref="IGalleryStore.CompleteErasures"/> did.</summary>
/// <param name="Compacted">Tables rewritten: the deleted rows' bytes are gone from their files.</param>
/// <param name="Waiting">Tables with erasures still to complete: settling (a burst of deletes is gathered), rewritten too
/// recently, waiting for a lock, or holding rows an older transaction may still read; a later call completes them.</param>
/// <param name="OtherProcess">True when another process sharing the database was completing erasures (it does the work).</param>
public sealed record ErasureReport(IReadOnlyList<string> Compacted, IReadOnlyList<string> Waiting, bool OtherProcess = false)
{
    /// <summary>
    /// Tables the database user may not rewrite (<c>pg_statistic</c>, which only a superuser may vacuum, when a gallery
    /// made before issue 23 had statistics on personal columns): an operator's <c>VACUUM FULL</c> is needed once.
    /// </summary>
    public IReadOnlyList<string> NotPermitted { get; init; } = [];

    /// <summary>Nothing was pending.</summary>
    public static readonly ErasureReport Nothing = new([], []);

    /// <summary>True when no erasure is left to complete.</summary>
    public bool Complete => Waiting.Count == 0 && !OtherProcess;
}
