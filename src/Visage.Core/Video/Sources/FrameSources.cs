namespace Visage.Video.Sources;

/// <summary>Opens the right reader for a source string: snapshot URLs are polled over HTTP, everything else goes through ffmpeg.</summary>
public static class FrameSources
{
    /// <summary>
    /// A frame source for <paramref name="source"/> delivering at most <paramref name="fps"/> frames a second (ffmpeg's
    /// <c>fps</c> filter; for a snapshot URL, one request every <c>1 / fps</c> seconds).
    /// </summary>
    /// <param name="source">The parsed source.</param>
    /// <param name="fps">Frames per second to process at most; null for the source's own rate (snapshots: once a second).</param>
    /// <param name="ffmpeg">Further ffmpeg settings (stall timeout, backoff); <see cref="FfmpegSourceOptions.Fps"/> is replaced by <paramref name="fps"/>.</param>
    /// <exception cref="ArgumentException">Bad options.</exception>
    public static IFrameSource Open(SourceUrl source, double? fps = null, FfmpegSourceOptions? ffmpeg = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Kind != SourceKind.Snapshot) return new FfmpegFrameSource(source, (ffmpeg ?? new FfmpegSourceOptions()) with { Fps = fps });
        var interval = fps is { } f && f > 0 ? TimeSpan.FromSeconds(1 / f) : new SnapshotSourceOptions().Interval;
        return new SnapshotFrameSource(source, new SnapshotSourceOptions { Interval = interval });
    }
}
