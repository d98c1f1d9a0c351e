using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Sightings;

namespace Visage.Serve;

/// <summary>
/// The service's gallery, opened on first use rather than at start, so the service starts (and answers 503) while
/// the database is down and picks it up by itself once it is back. Once open, a <see cref="GalleryChangeFeed"/> keeps
/// the in-memory index in step with writes made by other processes (replicas on the same PostgreSQL, or the CLI on the
/// same file), as a registered reader of the change log that also prunes it (<see cref="GalleryFollower"/>). After a
/// write failed because the database was unreachable, the index is synchronized from the change log on next use: such
/// a write may have been committed all the same.
/// </summary>
public sealed class GalleryHost(ServiceOptions options, string modelId, ILogger<GalleryHost> log) : IAsyncDisposable, IDisposable
{
    // After a failed open, further requests fail fast for this long instead of each waiting on the database.
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private IGalleryStore? _store;
    private GalleryChangeFeed? _feed;
    private GalleryFollower? _follower;
    private volatile FaceGallery? _gallery;
    private volatile bool _stale;
    private (DateTime At, GalleryException Error)? _lastFailure;
    private int _feedFailures; // since the feed last synchronized: only the first is a warning (it retries every second)

    /// <summary>The model id whose descriptors are matched.</summary>
    public string ModelId => modelId;

    /// <summary>The gallery as last loaded, or null before it was ever opened (for answers that may come from memory).</summary>
    public FaceGallery? Loaded => _gallery;

    /// <summary>True while the change feed holds a PostgreSQL LISTEN connection.</summary>
    public bool IsListening => _feed?.IsListening ?? false;

    /// <summary>The gallery, opened or synchronized when needed.</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    /// <exception cref="GalleryCorruptException">The database is not a usable gallery.</exception>
    public FaceGallery Gallery => _gallery is { } g && !_stale ? g : Open();

    /// <summary>Creates or checks the database without loading the index: what the API key store needs first.</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    /// <exception cref="GalleryCorruptException">The database is not a usable gallery.</exception>
    public void EnsureDatabase()
    {
        lock (_lock) _store ??= GalleryStores.Open(options.Database);
    }

    /// <summary>
    /// The gallery to match against: synchronized when needed, but while the database is down the index last loaded
    /// keeps answering from memory.
    /// </summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached and was never loaded.</exception>
    public FaceGallery Matching
    {
        get
        {
            try { return Gallery; }
            catch (GalleryUnavailableException) when (_gallery is { } last) { return last; }
        }
    }

    /// <summary>Runs a write; a write cut short by the database marks the index for synchronizing.</summary>
    public T Write<T>(Func<FaceGallery, T> write)
    {
        try
        {
            return write(Gallery);
        }
        catch (GalleryUnavailableException)
        {
            _stale = true;
            throw;
        }
    }

    /// <summary>Reads from the store; an unreachable database is reported (and the index synchronized later) the same way.</summary>
    public T Read<T>(Func<FaceGallery, T> read) => Write(read);

    /// <summary>
    /// Completes the erasures pending in the database (<see cref="IGalleryStore.CompleteErasures"/>) once they are
    /// <see cref="ServiceOptions.ErasureDelay"/> old.
    /// </summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public ErasureReport CompleteErasures()
    {
        EnsureDatabase();
        return _store!.CompleteErasures(options.ErasureDelay);
    }

    /// <summary>Runs work on the gallery and its sightings (kept for <see cref="ServiceOptions.SightingRetention"/>).</summary>
    public T Sightings<T>(Func<FaceGallery, SightingStore, T> work) => Write(g => work(g, new SightingStore(g, options.SightingRetention)));

    private FaceGallery Open()
    {
        lock (_lock)
        {
            if (_gallery is { } current && !_stale) return current;
            if (_lastFailure is { } f && DateTime.UtcNow - f.At < RetryPause) throw f.Error;
            try
            {
                if (_gallery is { } stale)
                {
                    Synchronize(stale);
                    return stale;
                }
                _store ??= GalleryStores.Open(options.Database);
                var gallery = new FaceGallery(_store, modelId, ownsStore: false);
                _follower = new GalleryFollower(gallery, options.ChangeLog);
                (_gallery, _lastFailure) = (gallery, null);
                log.LogInformation("Gallery {Location} loaded: {Faces} faces of model {Model}", _store.Location, gallery.Index.Count, modelId);
                if (gallery.Count().OtherModelsWarning(modelId) is { } warning) log.LogWarning("{Warning}", warning);
                _feed = new GalleryChangeFeed(options.Database, FollowChanges, FeedFailed);
                return gallery;
            }
            catch (GalleryException e) when (e is GalleryUnavailableException or GalleryCorruptException)
            {
                _lastFailure = (DateTime.UtcNow, e);
                throw;
            }
        }
    }

    // Called by the feed (on a notification, after reconnecting, or on its poll).
    private void FollowChanges()
    {
        if (_gallery is not { } gallery) return;
        try
        {
            Synchronize(gallery);
        }
        catch (GalleryUnavailableException)
        {
            _stale = true; // the next request tries again (or answers 503 while the database is down)
            throw;
        }
    }

    private void FeedFailed(Exception e)
    {
        if (Interlocked.Increment(ref _feedFailures) == 1)
            log.LogWarning("Gallery change feed: {Message}; it synchronizes again once the database answers", e.Message);
        else log.LogDebug("Gallery change feed: {Message}", e.Message);
    }

    private void Synchronize(FaceGallery gallery)
    {
        var reloads = gallery.Reloads;
        var read = _follower!.Synchronize();
        if (gallery.Reloads > reloads)
            log.LogWarning("Gallery reloaded: changes made while this replica was away were pruned from the change log (away longer than {Window})", options.ChangeLog.Window);
        (_stale, _lastFailure) = (false, null);
        if (Interlocked.Exchange(ref _feedFailures, 0) > 0) log.LogInformation("Gallery change feed: following again at change {Seq}", gallery.SynchronizedTo);
        if (read > 0)
            log.LogDebug("Gallery synchronized to change {Seq} ({Read} read): {Faces} faces", gallery.SynchronizedTo, read, gallery.Index.Count);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _feed, null) is { } feed) await feed.DisposeAsync();
        Dispose();
    }

    public void Dispose()
    {
        // The feed first: it must not synchronize a gallery being disposed (a synchronous host disposal lands here).
        Interlocked.Exchange(ref _feed, null)?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _follower?.Dispose(); // forgotten as a reader: pruning no longer waits for this replica
        _gallery?.Dispose();
        _store?.Dispose();
    }
}
