using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Visage.Gallery.Storage;
using Visage.Serve.Telemetry;
using Visage.Video.Watching;

namespace Visage.Serve.Cameras;

/// <summary>
/// The cameras of the service: stored in the gallery's database (<see cref="CameraStore"/>), each watched by a
/// <see cref="CameraRunner"/> from the service's start (or from when it is added) until it is deleted or the service
/// stops, when every runner is stopped and every ffmpeg it started has ended.
/// </summary>
public sealed class CameraHost : IHostedService, IAsyncDisposable
{
    private readonly ServiceOptions _options;
    private readonly GalleryHost _galleries;
    private readonly FrameAnalyzers _analyzers;
    private readonly EventHub _hub;
    private readonly IAppearanceSink _sink;
    private readonly ConcurrentDictionary<long, CameraRunner> _runners = new();
    private readonly ILogger _log;
    private readonly CameraMetrics _metrics;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private CameraStore? _store;
    private Task _starting = Task.CompletedTask;
    private int _disposed;

    /// <summary>A host with no camera started yet (<see cref="StartAsync"/> starts the stored ones).</summary>
    public CameraHost(ServiceOptions options, GalleryHost galleries, FrameAnalyzers analyzers, EventHub hub, IAppearanceSink sink,
        ILoggerFactory logs, IMeterFactory meters, ServiceMeter meter)
    {
        (_options, _galleries, _analyzers, _hub, _sink) = (options, galleries, analyzers, hub, sink);
        _log = logs.CreateLogger<CameraHost>();
        _metrics = new CameraMetrics(meters, meter, () => Runners);
    }

    /// <summary>The cameras being watched, by id.</summary>
    public IReadOnlyList<CameraRunner> Runners => _runners.Values.OrderBy(r => r.Camera.Id).ToList();

    /// <summary>The runner of a camera, or null.</summary>
    public CameraRunner? Runner(long id) => _runners.GetValueOrDefault(id);

    /// <summary>The camera table (the gallery's database is created or checked first).</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public CameraStore Store
    {
        get
        {
            lock (_lock)
            {
                if (_store is not null) return _store;
                _galleries.EnsureDatabase();
                return _store = CameraStore.Open(_options.Database);
            }
        }
    }

    /// <summary>Adds a camera and starts watching it; null when the name is taken.</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public Camera? Add(string name, string url, double fps, string detector, string? webhook)
    {
        var camera = Store.Add(name, url, fps, detector, webhook);
        if (camera is not null) Start(camera);
        return camera;
    }

    /// <summary>Stops watching a camera and deletes it; false when there was none with that id.</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public async Task<bool> DeleteAsync(long id)
    {
        var deleted = Store.Delete(id);
        if (_runners.TryRemove(id, out var runner)) await runner.DisposeAsync();
        return deleted;
    }

    /// <summary>Starts the stored cameras in the background (retrying while the database is down), so the service starts at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _starting = Task.Run(() => StartStoredAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops every camera; returns once their ffmpeg processes are gone.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _starting;
        await Task.WhenAll(_runners.Values.Select(r => r.DisposeAsync().AsTask()));
        _runners.Clear();
    }

    /// <summary>Stops every camera (when the host was never started or stopped) and closes the camera table.</summary>
    public async ValueTask DisposeAsync()
    {
        // The container disposes it twice: as itself and as the hosted service it also is.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await StopAsync(CancellationToken.None);
        _store?.Dispose();
        _stopping.Dispose();
    }

    private void Start(Camera camera)
    {
        var runner = new CameraRunner(camera, () => _galleries.Matching, _analyzers, _hub, _sink, _metrics, _log);
        if (!_runners.TryAdd(camera.Id, runner)) _ = runner.DisposeAsync().AsTask();
        else _log.LogInformation("camera {Camera}: watching {Source} at {Fps} fps with {Detector}", camera.Name, camera.Source, camera.Fps, camera.Detector);
    }

    private async Task StartStoredAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                foreach (var camera in Store.List()) Start(camera);
                return;
            }
            catch (GalleryException e)
            {
                _log.LogWarning("cameras not started yet: {Error}; trying again in 5 s", e.Message);
            }
            try { await Task.Delay(TimeSpan.FromSeconds(5), stopping); }
            catch (OperationCanceledException) { return; }
        }
    }
}
