using Visage.Gallery.Storage;

namespace Visage.Gallery;

/// <summary>
/// A gallery that follows its store's change log as a registered reader (a replica): <see cref="Synchronize"/> applies
/// what others wrote, records how far this reader got (every <see cref="ChangeLogRetention.Heartbeat"/>), and prunes
/// the log (every <see cref="ChangeLogRetention.PruneInterval"/>): entries every live reader has read go, and
/// entries older than the window. Disposing it forgets the reader, so a stopped replica holds nothing back; one that
/// crashed is forgotten after the window. Thread-safe.
/// </summary>
public sealed class GalleryFollower : IDisposable
{
    // Changes read between two looks at the clock (tens of milliseconds of reading).
    private const int Step = 10_000;

    private readonly FaceGallery _gallery;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private DateTime _recordedAt;
    private DateTime _prunedAt;

    /// <summary>Registers a reader for <paramref name="gallery"/> at the change its index reflects.</summary>
    /// <param name="gallery">The gallery to keep in step.</param>
    /// <param name="retention">The log's window (default one day).</param>
    /// <param name="time">The clock (a test simulates days with its own).</param>
    /// <exception cref="GalleryUnavailableException">The store cannot be reached.</exception>
    public GalleryFollower(FaceGallery gallery, ChangeLogRetention? retention = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(gallery);
        _gallery = gallery;
        Retention = retention ?? new ChangeLogRetention();
        Retention.Validate();
        _time = time ?? TimeProvider.System;
        _prunedAt = Now;
        Record(Now);
    }

    /// <summary>This reader's id in the store (a new one per follower).</summary>
    public string ReaderId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The window and intervals.</summary>
    public ChangeLogRetention Retention { get; }

    /// <summary>What the last pruning did, or null before the first.</summary>
    public ChangeLogPruning? LastPruning { get; private set; }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    /// <summary>Applies the changes others made (reloading when some were pruned), then records and prunes when due.</summary>
    /// <returns>How many log entries were read.</returns>
    /// <exception cref="GalleryUnavailableException">The store cannot be reached (nothing is lost: the next call goes on).</exception>
    public int Synchronize()
    {
        lock (_lock)
        {
            var total = 0;
            while (true)
            {
                // In steps: behind writers faster than this reader, it still records where it got and prunes.
                var read = _gallery.Synchronize(Step);
                total += read;
                var now = Now;
                if (now - _recordedAt >= Retention.Heartbeat) Record(now);
                if (now - _prunedAt >= Retention.PruneInterval)
                {
                    LastPruning = _gallery.Store.PruneChanges(Retention.Window, now);
                    _prunedAt = now;
                }
                if (read < Step) return total;
            }
        }
    }

    /// <summary>Forgets this reader in the store (best effort: an unreachable store forgets it after the window).</summary>
    public void Dispose()
    {
        try { _gallery.Store.ForgetReader(ReaderId); }
        catch (GalleryException) { }
    }

    private void Record(DateTime now)
    {
        _gallery.Store.RecordReader(ReaderId, _gallery.SynchronizedTo, now);
        _recordedAt = now;
    }
}
