namespace Visage.Imaging;

/// <summary>
/// A decoded image: 8-bit RGB, interleaved, rows top to bottom, no padding between rows
/// (<c>Pixels[(y * Width + x) * 3 + c]</c>), already turned upright by its EXIF orientation.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Wraps existing pixels.</summary>
    /// <exception cref="ArgumentException">The buffer is not <c>width * height * 3</c> bytes.</exception>
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size {width}x{height} is empty");
        if (pixels.Length != checked(width * height * 3)) throw new ArgumentException("pixel buffer size does not match width x height x 3");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>RGB bytes, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * 3;

    /// <summary>A copy with a black border of the given widths on each side (the detection fallback gives a tight face room).</summary>
    public RgbImage WithBorder(int left, int top, int right, int bottom)
    {
        var w = Width + left + right;
        var h = Height + top + bottom;
        var dst = new byte[checked(w * h * 3)];
        for (var y = 0; y < Height; y++)
            Pixels.AsSpan(y * Stride, Stride).CopyTo(dst.AsSpan(((y + top) * w + left) * 3));
        return new RgbImage(w, h, dst);
    }

    /// <summary>A copy of a rectangle of this image (clipped to it).</summary>
    public RgbImage Crop(int x, int y, int width, int height)
    {
        var x0 = Math.Clamp(x, 0, Width - 1);
        var y0 = Math.Clamp(y, 0, Height - 1);
        var w = Math.Clamp(width, 1, Width - x0);
        var h = Math.Clamp(height, 1, Height - y0);
        var dst = new byte[w * h * 3];
        for (var r = 0; r < h; r++)
            Pixels.AsSpan(((y0 + r) * Width + x0) * 3, w * 3).CopyTo(dst.AsSpan(r * w * 3));
        return new RgbImage(w, h, dst);
    }

    /// <summary>The image mirrored left to right.</summary>
    public RgbImage FlipHorizontal()
    {
        var dst = new byte[Pixels.Length];
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
            {
                var s = (y * Width + x) * 3;
                var d = (y * Width + (Width - 1 - x)) * 3;
                dst[d] = Pixels[s];
                dst[d + 1] = Pixels[s + 1];
                dst[d + 2] = Pixels[s + 2];
            }
        return new RgbImage(Width, Height, dst);
    }
}
