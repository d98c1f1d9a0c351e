namespace Visage.Gallery.Search;

/// <summary>
/// How a gallery's index is kept. Below <see cref="CompressedFromFaces"/> faces: exact, in memory (float32 plus an 8-bit
/// copy; answers equal to a brute-force scan; 684 MB per million faces). From there on: compressed, an inverted file
/// of 4-bit product-quantization codes in memory with the float32 vectors in a file, read only for the
/// candidates re-ranked exactly (answers measured by recall against the exact scan; see docs/BENCHMARKS.md).
/// </summary>
public sealed record GalleryIndexOptions
{
    /// <summary>The defaults.</summary>
    public static readonly GalleryIndexOptions Default = new();

    /// <summary>
    /// Faces from which a gallery opens a compressed index (default 1,000,000, where the exact index needs 684 MB;
    /// <see cref="int.MaxValue"/>: never). The choice is made when the gallery opens.
    /// </summary>
    public int CompressedFromFaces { get; init; } = 1_000_000;

    /// <summary>Where the compressed index keeps its files; null: beside a SQLite gallery (<c>FILE.index/</c>), under the Visage cache for PostgreSQL.</summary>
    public string? Directory { get; init; }

    /// <summary>Inverted lists; 0: from the gallery's size when built (2,048 from about a million faces up).</summary>
    public int Lists { get; init; }

    /// <summary>
    /// Share of the lists a query scans. Default 1/8: on the bench's synthetic faces (2,048 lists) recall@10 against the
    /// exact scan was 0.9987 at 1/16, 0.9990 at 3/32, 0.9997 at 1/8 and 1.0000 at 3/16 with 10M faces; 0.9994 at 1/16
    /// and 1.0000 at 1/8 with 1M.
    /// </summary>
    public double ProbeShare { get; init; } = 1.0 / 8;

    /// <summary>
    /// Candidates of the code scan re-ranked by exact distance (at least k). 16 and 32 gave the same recall on the
    /// synthetic faces at every probe share; 64 leaves room for real galleries, whose neighbours lie closer to strangers.
    /// </summary>
    public int Rerank { get; init; } = 64;

    /// <summary>Threads that build a compressed index.</summary>
    public int BuildThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(CompressedFromFaces);
        ArgumentOutOfRangeException.ThrowIfNegative(Lists);
        if (!(ProbeShare > 0 && ProbeShare <= 1)) throw new ArgumentOutOfRangeException(nameof(ProbeShare), ProbeShare, "a share in (0, 1]");
        ArgumentOutOfRangeException.ThrowIfLessThan(Rerank, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(BuildThreads, 1);
    }
}
