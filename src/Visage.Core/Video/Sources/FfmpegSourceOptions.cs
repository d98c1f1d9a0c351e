namespace Visage.Video.Sources;

/// <summary>RTSP transport: TCP (interleaved in the RTSP connection, robust through NAT) or UDP (RTP ports).</summary>
public enum RtspTransport
{
    /// <summary>RTP interleaved over the RTSP TCP connection.</summary>
    Tcp,

    /// <summary>RTP over UDP.</summary>
    Udp,
}

/// <summary>How <see cref="FfmpegFrameSource"/> reads a source; every default suits a camera feeding face detection.</summary>
public sealed record FfmpegSourceOptions
{
    /// <summary>Frames per second to deliver at most (ffmpeg drops the rest); null: the source's own rate.</summary>
    public double? Fps { get; init; }

    /// <summary>
    /// Largest width delivered: bigger pictures are scaled down by ffmpeg, keeping the aspect ratio (a 4K stream
    /// arrives 1280 wide). Faces of a few dozen pixels stay detectable at 1280.
    /// </summary>
    public int MaxWidth { get; init; } = 1280;

    /// <summary>Largest height delivered (portrait streams); scaled as <see cref="MaxWidth"/>.</summary>
    public int MaxHeight { get; init; } = 1280;

    /// <summary>Transport for <c>rtsp://</c> sources.</summary>
    public RtspTransport RtspTransport { get; init; } = RtspTransport.Tcp;

    /// <summary>A live source that delivers no frame for this long (connecting included) is restarted.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First delay before reconnecting a live source; doubled per failure, with jitter.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Longest delay between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Frames a live source holds for a slow consumer; when full the oldest is dropped (counted), so the consumer
    /// always gets recent pictures and memory stays flat.
    /// </summary>
    public int LiveQueueCapacity { get; init; } = 2;

    /// <summary>Read a file at its own frame rate (ffmpeg <c>-re</c>) instead of as fast as the consumer takes frames.</summary>
    public bool Realtime { get; init; }

    /// <summary>The ffmpeg executable (a name on PATH or a full path).</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>The ffprobe executable (a name on PATH or a full path).</summary>
    public string FfprobePath { get; init; } = "ffprobe";

    /// <exception cref="ArgumentException">A value out of range.</exception>
    internal void Validate()
    {
        if (Fps is { } fps && !(fps > 0 && fps <= 240)) throw new ArgumentException($"fps must be in (0, 240], got {fps}");
        if (MaxWidth < 16 || MaxHeight < 16) throw new ArgumentException($"max size must be at least 16x16, got {MaxWidth}x{MaxHeight}");
        if (StallTimeout <= TimeSpan.Zero) throw new ArgumentException("the stall timeout must be positive");
        if (ReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < ReconnectDelay)
            throw new ArgumentException("reconnect delays must be positive, the maximum at least the first");
        if (LiveQueueCapacity < 1) throw new ArgumentException("the live queue holds at least one frame");
    }
}
