using System.Collections.Concurrent;
using System.Text;
using Visage.Gallery.Storage;
using Visage.Video.Watching;
using static Visage.Serve.PrometheusText;

namespace Visage.Serve.Cameras;

/// <summary>
/// The cameras of the service: stored in the gallery's database (<see cref="CameraStore"/>), each watched by a
/// <see cref="CameraRunner"/> from the service's start (or from when it is added) until it is deleted or the service
/// stops, when every runner is stopped and every ffmpeg it started has ended.
/// </summary>
public sealed class CameraHost(ServiceOptions options, GalleryHost galleries, FrameAnalyzers analyzers, EventHub hub, IAppearanceSink sink, ILoggerFactory logs)
    : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, CameraRunner> _runners = new();
    private readonly ILogger _log = logs.CreateLogger<CameraHost>();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private CameraStore? _store;
    private Task _starting = Task.CompletedTask;
    private int _disposed;

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
                galleries.EnsureDatabase();
                return _store = CameraStore.Open(options.Database);
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

    /// <summary>Per-camera metrics in the Prometheus text format.</summary>
    public void WriteMetrics(StringBuilder text)
    {
        var runners = Runners;
        if (runners.Count == 0) return;
        (string Name, string Help, Func<CameraTotals, long> Value)[] counters =
        [
            ("visage_camera_frames_decoded_total", "Frames decoded from the camera's source.", t => t.Decoded),
            ("visage_camera_frames_processed_total", "Frames detected, tracked and decided.", t => t.Processed),
            ("visage_camera_frames_dropped_total", "Frames decoded but dropped because processing was behind.", t => t.Dropped),
            ("visage_camera_reconnects_total", "Times the camera's stream was started again.", t => t.Reconnects),
            ("visage_camera_appearances_total", "Appearances begun (appeared events).", t => t.Appeared),
            ("visage_camera_named_total", "Appearances decided as an enrolled person.", t => t.Named),
            ("visage_camera_strangers_total", "Appearances decided as a stranger.", t => t.Strangers),
        ];
        var totals = runners.Select(r => (Label: $"camera=\"{Escape(r.Camera.Name)}\"", r.Totals)).ToList();
        foreach (var (name, help, value) in counters)
        {
            Header(text, name, "counter", help);
            foreach (var (label, t) in totals) Line(text, name, label, value(t));
        }
        Header(text, "visage_camera_up", "gauge", "1 while the camera's frames are being processed.");
        foreach (var r in runners) Line(text, "visage_camera_up", $"camera=\"{Escape(r.Camera.Name)}\"", r.State == CameraState.Running ? 1 : 0);
        Header(text, "visage_camera_processing_latency_seconds", "histogram", "From a frame's arrival to the end of its processing.");
        foreach (var r in runners) r.Latency.Write(text, "visage_camera_processing_latency_seconds", $"camera=\"{Escape(r.Camera.Name)}\"");
    }

    private void Start(Camera camera)
    {
        var runner = new CameraRunner(camera, () => galleries.Matching, analyzers, hub, sink, _log);
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
