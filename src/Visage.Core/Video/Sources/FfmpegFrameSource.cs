using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Visage.Imaging;

namespace Visage.Video.Sources;

/// <summary>
/// Frames from Debian's ffmpeg as a child process writing raw RGB to a pipe: video files, RTSP, HTTP MJPEG, HLS
/// and capture devices. ffmpeg scales (to <see cref="FfmpegSourceOptions.MaxWidth"/>) and limits the rate; frames
/// are read into pooled images. A file is read as fast as the consumer takes frames, none dropped, and ends with
/// a clear error when it cannot be read. A live source never builds a backlog (a hand-off of
/// <see cref="FfmpegSourceOptions.LiveQueueCapacity"/> frames that drops the oldest, counted) and is restarted
/// with exponential backoff when ffmpeg exits or no frame comes for <see cref="FfmpegSourceOptions.StallTimeout"/>.
/// Every ffmpeg it starts is killed and reaped when reading stops (end, cancel, dispose).
/// </summary>
public sealed class FfmpegFrameSource : IFrameSource
{
    private readonly FfmpegSourceOptions _options;
    private readonly CancellationTokenSource _disposed = new();
    private int _reading;
    private FramePool? _pool;
    private volatile FfmpegProcess? _current;

    /// <summary>A source over a parsed source string (every kind but <see cref="SourceKind.Snapshot"/>).</summary>
    /// <exception cref="ArgumentException">A snapshot URL (use <see cref="SnapshotFrameSource"/>) or bad options.</exception>
    public FfmpegFrameSource(SourceUrl source, FfmpegSourceOptions? options = null)
    {
        if (source.Kind == SourceKind.Snapshot)
            throw new ArgumentException($"{source} is a snapshot URL: read it with {nameof(SnapshotFrameSource)}");
        _options = options ?? new FfmpegSourceOptions();
        _options.Validate();
        Source = source;
    }

    /// <inheritdoc/>
    public SourceUrl Source { get; }

    /// <inheritdoc/>
    public SourceCounters Counters { get; } = new();

    /// <summary>What ffprobe found, once a file has started reading (null for live sources).</summary>
    public MediaInfo? Media { get; private set; }

    /// <summary>The id of the ffmpeg process running now, or null (for tests and diagnostics).</summary>
    public int? ProcessId => _current?.Id;

    /// <inheritdoc/>
    public async IAsyncEnumerable<VideoFrame> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        if (Interlocked.Exchange(ref _reading, 1) == 1) throw new InvalidOperationException($"{Source} is already being read");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        var channel = Source.IsLive
            ? Channel.CreateBounded<VideoFrame>(
                new BoundedChannelOptions(_options.LiveQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
                dropped => { dropped.Dispose(); Counters.Dropped(); })
            : Channel.CreateBounded<VideoFrame>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var pump = Task.Run(() => PumpAsync(channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var frame in channel.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                if (stop.IsCancellationRequested)
                {
                    // Frames already handed off are not delivered after a cancel.
                    frame.Dispose();
                    stop.Token.ThrowIfCancellationRequested();
                }
                Counters.Delivered();
                yield return frame;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await pump.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or VideoSourceException)
            {
                // Already surfaced through the channel, or the reader left first.
            }
            while (channel.Reader.TryRead(out var left)) left.Dispose();
            Volatile.Write(ref _reading, 0);
        }
    }

    /// <summary>Stops reading and ends ffmpeg (killed and reaped).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested) return;
        await _disposed.CancelAsync().ConfigureAwait(false);
        _current?.Kill();
        // The reader's finally block reaps the process; wait for it so that nothing outlives the dispose.
        var spin = Stopwatch.StartNew();
        while (Volatile.Read(ref _reading) == 1 && spin.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10).ConfigureAwait(false);
        _disposed.Dispose();
    }

    private async Task PumpAsync(ChannelWriter<VideoFrame> writer, CancellationToken token)
    {
        Exception? failure = null;
        try
        {
            if (Source.IsLive) await PumpLiveAsync(writer, token).ConfigureAwait(false);
            else await PumpFileAsync(writer, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
        {
            failure = e;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    private async Task PumpFileAsync(ChannelWriter<VideoFrame> writer, CancellationToken token)
    {
        var media = await MediaProbe.ProbeAsync(Source, _options.FfprobePath, token).ConfigureAwait(false);
        Media = media;
        var fps = media.Fps > 0 ? Math.Min(_options.Fps ?? media.Fps, media.Fps) : _options.Fps ?? 25;
        var args = FfmpegArguments.Build(Source, _options, fps);
        var clock = new FrameClock(fps);
        var attempt = await RunAsync(args, writer, clock, stallWatch: null, token).ConfigureAwait(false);
        if (attempt.ExitCode == 0) return;
        var tail = attempt.Errors.Length > 0 ? attempt.Errors : $"ffmpeg exited with code {attempt.ExitCode}";
        var error = tail.Contains("Decoder", StringComparison.OrdinalIgnoreCase) && tail.Contains("not found", StringComparison.OrdinalIgnoreCase)
            ? VideoSourceError.UnsupportedCodec
            : attempt.Frames == 0 ? VideoSourceError.Corrupt : VideoSourceError.Failed;
        throw new VideoSourceException(error, $"{Source}: {(error == VideoSourceError.UnsupportedCodec ? "codec not supported by this ffmpeg: " : "")}{tail}");
    }

    private async Task PumpLiveAsync(ChannelWriter<VideoFrame> writer, CancellationToken token)
    {
        var args = FfmpegArguments.Build(Source, _options);
        var backoff = new Backoff(_options.ReconnectDelay, _options.MaxReconnectDelay);
        var clock = new FrameClock(fps: null);
        for (var first = true; ; first = false)
        {
            if (!first) Counters.Reconnected();
            var watch = new StallWatch(_options.StallTimeout);
            var attempt = await RunAsync(args, writer, clock, watch, token).ConfigureAwait(false);
            if (attempt.Frames > 0) backoff.Reset();
            var reason = watch.Stalled
                ? $"stalled: no frame for {_options.StallTimeout.TotalSeconds:0.#} s"
                : attempt.Errors.Length > 0 ? attempt.Errors : $"stream ended (ffmpeg exit code {attempt.ExitCode})";
            Counters.Failed($"{Source}: {reason}");
            await Task.Delay(backoff.Next(), token).ConfigureAwait(false);
        }
    }

    /// <summary>One ffmpeg run: frames into the channel until the stream ends, stalls or reading stops.</summary>
    private async Task<Attempt> RunAsync(IReadOnlyList<string> args, ChannelWriter<VideoFrame> writer, FrameClock clock, StallWatch? stallWatch, CancellationToken token)
    {
        await using var ffmpeg = FfmpegProcess.Start(_options.FfmpegPath, args, Source);
        _current = ffmpeg;
        // A pipe read may not notice the token: killing ffmpeg ends the read at once.
        await using var onStop = token.Register(ffmpeg.Kill);
        using var watchdog = stallWatch?.Start(ffmpeg);
        try
        {
            (int Width, int Height) size;
            try
            {
                size = await ffmpeg.FrameSize.WaitAsync(token).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                return new Attempt(0, await ffmpeg.WaitForExitAsync(token).ConfigureAwait(false), ffmpeg.ErrorTail());
            }
            var pool = _pool is { } p && p.Width == size.Width && p.Height == size.Height ? p : _pool = new FramePool(size.Width, size.Height, onAllocate: Counters.BufferAllocated);
            // Frames are read with blocking reads on a thread of their own: an async pipe read allocates per call
            // (about 40 calls per 720p frame), a blocking one does not, and no pool thread is held for the stream.
            var frames = await Task.Factory.StartNew(() => ReadFrames(ffmpeg.Output, pool, writer, clock, stallWatch, token),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            return new Attempt(frames, await ffmpeg.WaitForExitAsync(token).ConfigureAwait(false), ffmpeg.ErrorTail());
        }
        finally
        {
            _current = null;
        }
    }

    /// <summary>Reads frames until the stream ends (or ffmpeg is killed); returns how many.</summary>
    private long ReadFrames(Stream output, FramePool pool, ChannelWriter<VideoFrame> writer, FrameClock clock, StallWatch? stallWatch, CancellationToken token)
    {
        var frames = 0L;
        while (true)
        {
            var image = pool.Rent();
            // Blocking: ends with the stream, or at once when ffmpeg is killed (stop, stall).
            var read = output.ReadAtLeast(image.Pixels, image.Pixels.Length, throwOnEndOfStream: false);
            if (read < image.Pixels.Length)
            {
                pool.Return(image);
                return frames;
            }
            Counters.Decoded();
            frames++;
            stallWatch?.Progress();
            var frame = clock.Stamp(image, pool);
            if (stallWatch is null) Write(writer, frame, token);
            else if (!writer.TryWrite(frame)) frame.Dispose();
        }
    }

    // A file waits for its consumer (no drops); blocking here keeps the pump on its own thread.
    private static void Write(ChannelWriter<VideoFrame> writer, VideoFrame frame, CancellationToken token)
    {
        try
        {
            while (!writer.TryWrite(frame))
                if (!writer.WaitToWriteAsync(token).AsTask().GetAwaiter().GetResult()) throw new OperationCanceledException(token);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    private readonly record struct Attempt(long Frames, int ExitCode, string Errors);

    /// <summary>Numbers and timestamps frames: media time <c>index / fps</c> for files, the monotonic clock plus UTC for live.</summary>
    private sealed class FrameClock(double? fps)
    {
        private readonly Stopwatch _since = Stopwatch.StartNew();
        private long _next;

        public VideoFrame Stamp(RgbImage image, FramePool pool)
        {
            var index = _next++;
            return fps is { } rate
                ? new VideoFrame(image, index, index / rate, null, pool)
                : new VideoFrame(image, index, _since.Elapsed.TotalSeconds, DateTimeOffset.UtcNow, pool);
        }
    }

    /// <summary>Kills a live ffmpeg that delivers no frame for the stall timeout (connecting included).</summary>
    private sealed class StallWatch(TimeSpan timeout)
    {
        private long _lastProgress = Environment.TickCount64;

        public bool Stalled { get; private set; }

        public void Progress() => Volatile.Write(ref _lastProgress, Environment.TickCount64);

        public Timer Start(FfmpegProcess ffmpeg)
        {
            var period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 50, 1000));
            return new Timer(_ =>
            {
                if (Stalled || Environment.TickCount64 - Volatile.Read(ref _lastProgress) < timeout.TotalMilliseconds) return;
                Stalled = true;
                ffmpeg.Kill();
            }, null, period, period);
        }
    }
}
