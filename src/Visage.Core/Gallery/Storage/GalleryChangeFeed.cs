using Npgsql;

namespace Visage.Gallery.Storage;

/// <summary>
/// Says when a gallery may have been changed by another process, so an in-memory index can catch up
/// (<see cref="FaceGallery.Synchronize"/>). On PostgreSQL it LISTENs on a connection of its own and calls back at
/// every NOTIFY of a committed change, right after each (re)connection (what was committed while nobody listened is
/// in the change log), and every <see cref="PollInterval"/> as a safety net. On SQLite, which has no notifications,
/// it calls back every poll interval. The callback runs on one background task at a time.
/// </summary>
public sealed class GalleryChangeFeed : IAsyncDisposable
{
    /// <summary>PostgreSQL's safety-net poll: notifications normally arrive within milliseconds.</summary>
    public static readonly TimeSpan PostgresPoll = TimeSpan.FromSeconds(5);

    /// <summary>SQLite's poll: reading an empty tail of the change log costs microseconds.</summary>
    public static readonly TimeSpan SqlitePoll = TimeSpan.FromMilliseconds(250);

    /// <summary>Pause before listening again after the connection failed.</summary>
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly string? _listenConnection;
    private readonly Action _changed;
    private readonly Action<Exception>? _failed;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile bool _listening;

    /// <summary>Starts following the gallery at <paramref name="location"/> (see <see cref="GalleryStores.Open"/>).</summary>
    /// <param name="location">The gallery's SQLite path or PostgreSQL connection string.</param>
    /// <param name="changed">Called when the gallery may have changed (exceptions go to <paramref name="failed"/>).</param>
    /// <param name="failed">Told about a failed callback or a lost connection; the feed keeps trying.</param>
    /// <exception cref="ArgumentException">The PostgreSQL connection string cannot be read.</exception>
    public GalleryChangeFeed(string location, Action changed, Action<Exception>? failed = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        ArgumentNullException.ThrowIfNull(changed);
        _changed = changed;
        _failed = failed;
        if (GalleryStores.IsPostgres(location))
        {
            var builder = PostgresLocation.Parse(location);
            // Its own unpooled connection, kept alive so a silently dropped one is noticed; named for pg_stat_activity.
            (builder.Pooling, builder.KeepAlive, builder.ApplicationName) = (false, 5, "visage change feed");
            _listenConnection = builder.ToString();
        }
        PollInterval = _listenConnection is null ? SqlitePoll : PostgresPoll;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>How often the callback runs when nothing else calls it.</summary>
    public TimeSpan PollInterval { get; }

    /// <summary>True while a PostgreSQL LISTEN connection is open (always false on SQLite).</summary>
    public bool IsListening => _listening;

    /// <summary>Stops following and waits for the callback in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (_listenConnection is { } connectionString) await ListenAsync(connectionString, stop);
                else
                {
                    await Task.Delay(PollInterval, stop);
                    Signal();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _listening = false;
                _failed?.Invoke(e);
                try { await Task.Delay(ReconnectDelay, stop); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stop);
        await using (var listen = new NpgsqlCommand($"LISTEN {GalleryChanges.Channel}", connection))
            await listen.ExecuteNonQueryAsync(stop);
        _listening = true;
        try
        {
            Signal(); // catch up on whatever was committed while nobody listened
            while (true)
            {
                await connection.WaitAsync(PollInterval, stop); // true on a notification, false on the poll
                Signal();
            }
        }
        finally
        {
            _listening = false;
        }
    }

    // A failure right after the feed's own connection worked is most likely a pooled connection that died with the
    // old one (the store drops its pool then): try again at once rather than at the next poll.
    private void Signal()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _changed();
                return;
            }
            catch (Exception e)
            {
                _failed?.Invoke(e);
                if (attempt == 3) return;
                Thread.Sleep(100 * attempt);
            }
        }
    }
}
