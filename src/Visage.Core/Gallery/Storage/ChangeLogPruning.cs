namespace Visage.Gallery.Storage;

/// <summary>What one pruning of the change log did (<see cref="IGalleryStore.PruneChanges"/>).</summary>
/// <param name="Deleted">Entries deleted.</param>
/// <param name="PrunedThrough">Every entry numbered up to this may be gone: a reader behind it must reload.</param>
/// <param name="ReadersForgotten">Readers not seen within the window, forgotten (they will reload when they come back).</param>
/// <param name="Remaining">Entries left in the log.</param>
public sealed record ChangeLogPruning(int Deleted, long PrunedThrough, int ReadersForgotten, long Remaining);

/// <summary>
/// Changes a reader has not applied were pruned from the change log (it was away longer than the retention window, or
/// was never registered): it must load the gallery again instead of replaying.
/// </summary>
public sealed class ChangeLogPrunedException(long afterSeq, long prunedThrough)
    : GalleryException($"the change log was pruned through change {prunedThrough}; this reader stands at {afterSeq} and must reload the gallery")
{
    /// <summary>Where the reader stood.</summary>
    public long AfterSeq { get; } = afterSeq;

    /// <summary>The last change that may have been pruned.</summary>
    public long PrunedThrough { get; } = prunedThrough;
}
