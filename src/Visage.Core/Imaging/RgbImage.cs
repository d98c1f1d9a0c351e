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

    /// <summary>
    /// The image shrunk by an integer <paramref name="factor"/>, each pixel the mean of a <c>factor x factor</c> block
    /// (the blocks of the last row and column may be partial).
    /// </summary>
    public RgbImage ShrinkBy(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        if (factor == 1) return this;
        int w = (Width + factor - 1) / factor, h = (Height + factor - 1) / factor;
        var dst = new byte[w * h * 3];
        var sums = new int[w * 3];
        for (var oy = 0; oy < h; oy++)
        {
            Array.Clear(sums);
            int y0 = oy * factor, y1 = Math.Min(y0 + factor, Height);
            for (var y = y0; y < y1; y++)
            {
                var row = Pixels.AsSpan(y * Stride, Stride);
                for (var x = 0; x < Width; x++)
                {
                    var o = x / factor * 3;
                    sums[o] += row[x * 3];
                    sums[o + 1] += row[x * 3 + 1];
                    sums[o + 2] += row[x * 3 + 2];
                }
            }
            for (var ox = 0; ox < w; ox++)
            {
                var count = (Math.Min((ox + 1) * factor, Width) - ox * factor) * (y1 - y0);
                for (var c = 0; c < 3; c++)
                    dst[(oy * w + ox) * 3 + c] = (byte)((sums[ox * 3 + c] + count / 2) / count);
            }
        }
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
