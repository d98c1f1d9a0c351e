using System.Collections.Concurrent;
using Visage.Imaging;

namespace Visage.Video.Sources;

/// <summary>
/// Reusable frame images of one size. <see cref="RgbImage"/> needs exactly <c>width * height * 3</c> bytes,
/// which <see cref="System.Buffers.ArrayPool{T}"/> does not promise, so the pool keeps whole images (buffer and
/// wrapper). An image comes back when its frame is disposed; a frame never disposed is simply collected, and the
/// pool keeps at most <see cref="MaxRetained"/> images.
/// </summary>
public sealed class FramePool
{
    private readonly ConcurrentQueue<RgbImage> _free = new();
    private readonly Action? _onAllocate;
    private long _allocated;

    /// <summary>A pool of <paramref name="width"/> x <paramref name="height"/> images.</summary>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="maxRetained">Most images kept for reuse.</param>
    /// <param name="onAllocate">Called for each new image (a source counts its frame buffers with it).</param>
    public FramePool(int width, int height, int maxRetained = 8, Action? onAllocate = null)
    {
        _onAllocate = onAllocate;
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRetained, 1);
        Width = width;
        Height = height;
        MaxRetained = maxRetained;
    }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Bytes per image.</summary>
    public int FrameBytes => Width * Height * 3;

    /// <summary>Most images kept for reuse.</summary>
    public int MaxRetained { get; }

    /// <summary>Images allocated so far (stays small while frames are disposed).</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    /// <summary>A free image (its pixels hold old data), or a new one when none is free.</summary>
    public RgbImage Rent()
    {
        if (_free.TryDequeue(out var image)) return image;
        Interlocked.Increment(ref _allocated);
        _onAllocate?.Invoke();
        return new RgbImage(Width, Height, new byte[FrameBytes]);
    }

    /// <summary>Gives an image back (dropped when the pool is full or the size differs).</summary>
    public void Return(RgbImage image)
    {
        if (image.Width == Width && image.Height == Height && _free.Count < MaxRetained) _free.Enqueue(image);
    }
}
