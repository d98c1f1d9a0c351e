using Visage.Faces;
using Visage.Imaging;

namespace Visage.Alignment;

/// <summary>Bilinear warp of an image region into a square chip, with pyramid pre-shrinking for large faces.</summary>
internal static class ChipSampler
{
    /// <summary>Samples chip pixel (c, r) at image point <c>T(c, r)</c>; pixel centers are at integer coordinates.</summary>
    /// <param name="image">The photo.</param>
    /// <param name="chipToImage">Chip pixel to image point.</param>
    /// <param name="size">Chip side.</param>
    /// <param name="direct">Read the photo's bytes in place when no halving is needed (tests turn it off to compare).</param>
    public static RgbImage Sample(RgbImage image, SimilarityTransform chipToImage, int size, bool direct = true)
    {
        // Halve the source while the chip would still shrink it by more than 2 (dlib's pyramid rule).
        var levels = 0;
        while (chipToImage.Scale / (1 << (levels + 1)) > 1) levels++;
        var region = Footprint(chipToImage, size, 2 << levels);
        if (levels == 0 && direct) return SampleBytes(image, chipToImage, size, region);
        var source = FloatPlanes.FromRegion(image, region);
        for (var l = 0; l < levels; l++) source = source.Halve();

        var f = 1 << levels;
        var offset = (f - 1) / 2.0;   // a level-L pixel center sits at f * x + (f - 1) / 2 in level-0 pixels
        var dst = new byte[size * size * 3];
        for (var r = 0; r < size; r++)
            for (var c = 0; c < size; c++)
            {
                var p = chipToImage.Apply(new Point2(c, r));
                var u = (p.X - source.OriginX - offset) / f;
                var v = (p.Y - source.OriginY - offset) / f;
                source.Bilinear(u, v, dst.AsSpan((r * size + c) * 3, 3));
            }
        return new RgbImage(size, size, dst);
    }

    /// <summary>
    /// <see cref="Sample"/> without the float copy of the footprint, for faces that need no halving (most): the same
    /// coordinates (taken relative to the footprint's corner, as there), the same float arithmetic, so the same bytes.
    /// </summary>
    private static RgbImage SampleBytes(RgbImage image, SimilarityTransform t, int size, PixelRect region)
    {
        var dst = new byte[size * size * 3];
        var px = image.Pixels;
        var (width, height, stride) = (image.Width, image.Height, image.Stride);
        for (var r = 0; r < size; r++)
            for (var c = 0; c < size; c++)
            {
                var p = t.Apply(new Point2(c, r));
                double u = p.X - region.X, v = p.Y - region.Y;
                int rx = (int)Math.Floor(u), ry = (int)Math.Floor(v);
                float fx = (float)(u - rx), fy = (float)(v - ry);
                int x0 = rx + region.X, y0 = ry + region.Y;
                var o = (r * size + c) * 3;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height)
                {
                    var top = y0 * stride + x0 * 3;
                    var bottom = top + stride;
                    for (var k = 0; k < 3; k++)
                    {
                        float tl = px[top + k], tr = px[top + 3 + k], bl = px[bottom + k], br = px[bottom + 3 + k];
                        var upper = tl + (tr - tl) * fx;
                        var lower = bl + (br - bl) * fx;
                        dst[o + k] = (byte)Math.Clamp(MathF.Round(upper + (lower - upper) * fy), 0, 255);
                    }
                }
                else
                {
                    for (var k = 0; k < 3; k++)
                    {
                        float tl = At(x0, y0, k), tr = At(x0 + 1, y0, k), bl = At(x0, y0 + 1, k), br = At(x0 + 1, y0 + 1, k);
                        var upper = tl + (tr - tl) * fx;
                        var lower = bl + (br - bl) * fx;
                        dst[o + k] = (byte)Math.Clamp(MathF.Round(upper + (lower - upper) * fy), 0, 255);
                    }
                }
            }
        return new RgbImage(size, size, dst);

        float At(int x, int y, int k) => x < 0 || y < 0 || x >= width || y >= height ? 0f : px[y * stride + x * 3 + k];
    }

    /// <summary>The image pixels the chip can read, with a margin, clipped to the image.</summary>
    private static PixelRect Footprint(SimilarityTransform t, int size, int margin)
    {
        double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
        foreach (var corner in new Point2[] { new(0, 0), new(size - 1, 0), new(0, size - 1), new(size - 1, size - 1) })
        {
            var p = t.Apply(corner);
            x0 = Math.Min(x0, p.X); y0 = Math.Min(y0, p.Y); x1 = Math.Max(x1, p.X); y1 = Math.Max(y1, p.Y);
        }
        return new PixelRect((int)Math.Floor(x0) - margin, (int)Math.Floor(y0) - margin,
            (int)Math.Ceiling(x1 - x0) + 2 * margin + 1, (int)Math.Ceiling(y1 - y0) + 2 * margin + 1);
    }
}

/// <summary>A float RGB copy of part of an image, positioned by its top-left corner in the original image.</summary>
internal sealed class FloatPlanes(int width, int height, float[] rgb, int originX, int originY)
{
    public int OriginX => originX;
    public int OriginY => originY;

    /// <summary>Copies the part of <paramref name="region"/> inside the image (outside it the planes are black).</summary>
    public static FloatPlanes FromRegion(RgbImage image, PixelRect region)
    {
        var w = Math.Max(1, region.Width);
        var h = Math.Max(1, region.Height);
        var rgb = new float[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            var sy = region.Y + y;
            if (sy < 0 || sy >= image.Height) continue;
            for (var x = 0; x < w; x++)
            {
                var sx = region.X + x;
                if (sx < 0 || sx >= image.Width) continue;
                var s = (sy * image.Width + sx) * 3;
                var d = (y * w + x) * 3;
                rgb[d] = image.Pixels[s];
                rgb[d + 1] = image.Pixels[s + 1];
                rgb[d + 2] = image.Pixels[s + 2];
            }
        }
        return new FloatPlanes(w, h, rgb, region.X, region.Y);
    }

    /// <summary>Half the size by 2x2 averaging; the origin is expressed in the halved grid.</summary>
    public FloatPlanes Halve()
    {
        int w = Math.Max(1, width / 2), h = Math.Max(1, height / 2);
        var dst = new float[w * h * 3];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                for (var c = 0; c < 3; c++)
                {
                    float Px(int xx, int yy) => rgb[(Math.Min(yy, height - 1) * width + Math.Min(xx, width - 1)) * 3 + c];
                    dst[(y * w + x) * 3 + c] = (Px(2 * x, 2 * y) + Px(2 * x + 1, 2 * y) + Px(2 * x, 2 * y + 1) + Px(2 * x + 1, 2 * y + 1)) / 4;
                }
        // Level coordinates are taken relative to the level-0 origin, so keep the origin in level-0 pixels.
        return new FloatPlanes(w, h, dst, originX, originY);
    }

    /// <summary>Bilinear sample at (u, v) in this grid; neighbours outside are black. Writes 3 rounded bytes.</summary>
    public void Bilinear(double u, double v, Span<byte> output)
    {
        var x0 = (int)Math.Floor(u);
        var y0 = (int)Math.Floor(v);
        var fx = (float)(u - x0);
        var fy = (float)(v - y0);
        for (var c = 0; c < 3; c++)
        {
            var top = At(x0, y0, c) + (At(x0 + 1, y0, c) - At(x0, y0, c)) * fx;
            var bottom = At(x0, y0 + 1, c) + (At(x0 + 1, y0 + 1, c) - At(x0, y0 + 1, c)) * fx;
            output[c] = (byte)Math.Clamp(MathF.Round(top + (bottom - top) * fy), 0, 255);
        }
    }

    private float At(int x, int y, int c) => x < 0 || y < 0 || x >= width || y >= height ? 0f : rgb[(y * width + x) * 3 + c];
}
