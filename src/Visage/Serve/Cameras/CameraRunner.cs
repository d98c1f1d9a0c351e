using Visage.Gallery;
using Visage.Video.Sources;
using Visage.Video.Watching;

namespace Visage.Serve.Cameras;

/// <summary>What a camera is doing.</summary>
public enum CameraState
{
    /// <summary>Opening its source (or between reconnect attempts).</summary>
    Starting,

    /// <summary>Frames are being processed.</summary>
    Running,

    /// <summary>The source failed; retried with backoff (see <see cref="CameraRunner.LastError"/>).</summary>
    Failing,

    /// <summary>Stopped (deleted, or the service is shutting down).</summary>
    Stopped,
}

/// <summary>
/// Watches one camera for as long as the service runs: a <see cref="FaceWatcher"/> over its source, events to the
/// <see cref="EventHub"/> and the camera's webhook, finished appearances to the sink, the last frame to
/// <see cref="Picture"/>. A live source reconnects on its own; a file is played in real time and started again when it
/// ends (a recorded feed); a source that cannot be opened at all is retried with backoff. Nothing that goes wrong
/// with a camera stops the service, and stopping a runner ends its ffmpeg.
/// </summary>
public sealed class CameraRunner : IAsyncDisposable
{
    private readonly Func<FaceGallery> _gallery;
    private readonly FrameAnalyzers _analyzers;
    private readonly EventHub _hub;
    private readonly IAppearanceSink _sink;
    private readonly ILogger _log;
    private readonly WebhookSender? _webhook;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly Lock _lock = new();
    private CameraTotals _finished;
    private IFrameSource? _source;
    private FaceWatcher? _watcher;

    internal CameraRunner(Camera camera, Func<FaceGallery> gallery, FrameAnalyzers analyzers, EventHub hub, IAppearanceSink sink, ILogger log)
    {
        Camera = camera;
        _gallery = gallery;
        _analyzers = analyzers;
        _hub = hub;
        _sink = sink;
        _log = log;
        if (camera.Webhook is { } url) _webhook = new WebhookSender(url, log: m => _log.LogWarning("camera {Camera}: {Message}", camera.Name, m));
        _run = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>The camera.</summary>
    public Camera Camera { get; }

    /// <summary>The last processed frame, annotated on demand.</summary>
    public LatestPicture Picture { get; } = new();

    /// <summary>Processing latency of each frame (arrival to decision).</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>What the camera is doing now.</summary>
    public CameraState State { get; private set; } = CameraState.Starting;

    /// <summary>The last failure of its source (masked), or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Frames and appearances since the service started watching it (over every run of its source).</summary>
    public CameraTotals Totals
    {
        get
        {
            lock (_lock) return _source is null || _watcher is null ? _finished : _finished + CameraTotals.Of(_source, _watcher);
        }
    }

    /// <summary>Stops watching; the source's ffmpeg is ended and reaped before this returns.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        if (_webhook is not null) await _webhook.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        State = CameraState.Stopped;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        var options = new WatchOptions { Camera = Camera.Name, Detector = Camera.Detector };
        while (!stop.IsCancellationRequested)
        {
            var source = FrameSources.Open(Camera.Source, Camera.Fps, new FfmpegSourceOptions { Realtime = !Camera.Source.IsLive });
            var watcher = new FaceWatcher(_analyzers.For(Camera.Detector), _gallery, options, _sink,
                e => _log.LogWarning("camera {Camera}: {Message}", Camera.Name, SourceUrl.MaskText(e.Message, Camera.Source.Credentials)));
            lock (_lock) (_source, _watcher) = (source, watcher);
            State = CameraState.Starting;
            using var monitor = new Timer(_ => Monitor(source), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            try
            {
                await watcher.RunAsync(source, Publish, OnFrame, stop).ConfigureAwait(false);
                _log.LogInformation("camera {Camera}: {Source} ended; playing it again", Camera.Name, Camera.Source);
                backoff.Reset();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Deleted or shutting down.
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                State = CameraState.Failing;
                LastError = SourceUrl.MaskText(e.Message, Camera.Source.Credentials);
                _log.LogWarning("camera {Camera}: {Error}; trying again", Camera.Name, LastError);
            }
            finally
            {
                await source.DisposeAsync().ConfigureAwait(false);
                lock (_lock)
                {
                    _finished += CameraTotals.Of(source, watcher);
                    (_source, _watcher) = (null, null);
                }
            }
            if (stop.IsCancellationRequested) break;
            try { await Task.Delay(backoff.Next(), stop).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
    }

    private void Publish(Video.Tracking.AppearanceEvent e)
    {
        var json = e.ToJson();
        _hub.Publish(new CameraEvent(Camera.Name, e.EventName, json));
        _webhook?.Post(json);
    }

    private void OnFrame(WatchedFrame frame)
    {
        State = CameraState.Running;
        Latency.Observe(frame.LatencySeconds);
        Picture.Update(frame);
    }

    /// <summary>Logs each reconnect of the live source once, with its (masked) reason.</summary>
    private void Monitor(IFrameSource source)
    {
        var error = source.Counters.LastError;
        if (error is null || error.Message == LastError) return;
        LastError = error.Message;
        if (State == CameraState.Running) State = CameraState.Failing;
        _log.LogWarning("camera {Camera}: {Error}; reconnecting with backoff ({Counters})", Camera.Name, error.Message, source.Counters);
    }
}
