using Visage.Imaging;

namespace Visage.Video.Sources;

/// <summary>
/// One decoded frame. Its pixels live in a pooled buffer that is reused once the frame is disposed: dispose every
/// frame when done with it, and copy (<see cref="RgbImage.Crop"/>) what must outlive it.
/// </summary>
public sealed class VideoFrame : IDisposable
{
    private readonly FramePool? _pool;
    private int _disposed;

    /// <summary>Wraps an image; it goes back to <paramref name="pool"/> on dispose (null: not pooled).</summary>
    public VideoFrame(RgbImage image, long index, double seconds, DateTimeOffset? wallClockUtc, FramePool? pool = null)
    {
        Image = image;
        Index = index;
        Seconds = seconds;
        WallClockUtc = wallClockUtc;
        _pool = pool;
    }

    /// <summary>The pixels, valid until <see cref="Dispose"/>.</summary>
    public RgbImage Image { get; }

    /// <summary>0-based number of the frame among those decoded by this source (dropped ones included).</summary>
    public long Index { get; }

    /// <summary>
    /// Time of the frame in seconds: the media time for files (<c>Index / fps</c> from the first frame), the time
    /// since the source was first read for live sources (monotonic across reconnects).
    /// </summary>
    public double Seconds { get; }

    /// <summary>When a live frame arrived (UTC); null for files, whose time is <see cref="Seconds"/>.</summary>
    public DateTimeOffset? WallClockUtc { get; }

    /// <summary>Returns the pixel buffer to the pool; the image must not be used after this.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _pool?.Return(Image);
    }
}
