using System.Buffers;

namespace Visage.Imaging;

/// <summary>Where <c>padToSquare</c> puts the black padding of the shorter side.</summary>
public enum SquarePadding
{
    /// <summary>All of it after the image (bottom or right): the detectors.</summary>
    BottomRight,
    /// <summary>Split in two, the odd line after the image: the landmark and recognition nets.</summary>
    Centered,
}

/// <summary>
/// Per-channel normalization applied while sampling: <c>v = (x - mean[c]) / Divisor + Offset</c>.
/// </summary>
public readonly record struct PixelNormalization(float MeanR, float MeanG, float MeanB, float Divisor, float Offset = 0f);

/// <summary>
/// Builds a network input exactly as face-api.js's <c>NetInput.toBatchTensor</c> does, in one pass and without
/// an intermediate image: cut a crop, pad it to a square with black (<c>padToSquare</c>), resize the square with
/// TensorFlow 1 bilinear sampling (<c>src = dst * in / out</c>, no half-pixel offset, no antialiasing), normalize,
/// and write planar RGB (one NCHW item).
/// </summary>
public static class SquareInput
{
    /// <summary>Writes one <c>3 x size x size</c> item into <paramref name="destination"/>.</summary>
    /// <param name="image">Source image.</param>
    /// <param name="crop">Rectangle of the image to use (inside it, not empty).</param>
    /// <param name="padding">Where the padding goes.</param>
    /// <param name="size">Side of the network input.</param>
    /// <param name="norm">Normalization of the 0..255 values.</param>
    /// <param name="destination">At least <c>3 * size * size</c> floats.</param>
    public static unsafe void Write(RgbImage image, PixelRect crop, SquarePadding padding, int size, PixelNormalization norm, Span<float> destination)
    {
        if (crop.IsEmpty || crop.X < 0 || crop.Y < 0 || crop.X + crop.Width > image.Width || crop.Y + crop.Height > image.Height)
            throw new ArgumentOutOfRangeException(nameof(crop), $"crop {crop} is not inside the {image.Width}x{image.Height} image");
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 3 * size * size, nameof(destination));
        if (size < SplitFrom || !AcrossCores.HasOtherCores)
        {
            WriteRows(image, crop, padding, size, norm, destination, 0, size);
            return;
        }
        // A detector's input (SSD's 512 from a 1920 px photo: 3 ms on one core) is written as two halves of its rows
        // side by side; each row is computed as before, so the values are the same.
        fixed (float* pinned = destination)
        {
            var address = (nint)pinned;
            var length = destination.Length;
            AcrossCores.Map([0, size / 2], first =>
            {
                WriteRows(image, crop, padding, size, norm, new Span<float>((float*)address, length), first, first == 0 ? size / 2 : size);
                return 0;
            });
        }
    }

    /// <summary>The input side from which <see cref="Write"/> writes two halves at once (the landmark and recognition nets' 112 and 150 stay whole).</summary>
    private const int SplitFrom = 256;

    /// <summary>Output rows <paramref name="firstRow"/> to <paramref name="endRow"/> (exclusive) of the item.</summary>
    private static void WriteRows(RgbImage image, PixelRect crop, SquarePadding padding, int size, PixelNormalization norm, Span<float> destination, int firstRow, int endRow)
    {
        var side = Math.Max(crop.Width, crop.Height);
        var diff = Math.Abs(crop.Width - crop.Height);
        var before = padding == SquarePadding.Centered ? diff - (int)JsMath.Round(diff * 0.5) : 0;
        var padLeft = crop.Width < crop.Height ? before : 0;
        var padTop = crop.Height < crop.Width ? before : 0;

        // Column and row sampling tables: source index in crop coordinates (-1 = padding) and weight.
        Span<int> x0 = stackalloc int[size], x1 = stackalloc int[size], y0 = stackalloc int[size], y1 = stackalloc int[size];
        Span<float> fx = stackalloc float[size], fy = stackalloc float[size];
        Table(side, size, padLeft, crop.Width, x0, x1, fx);
        Table(side, size, padTop, crop.Height, y0, y1, fy);
        // Columns as byte offsets into an image row (-1 stays padding).
        for (var x = 0; x < size; x++)
        {
            x0[x] = x0[x] < 0 ? -1 : (crop.X + x0[x]) * 3;
            x1[x] = x1[x] < 0 ? -1 : (crop.X + x1[x]) * 3;
        }

        // Separable: each needed source row is blended across x once (into an RGB float row), then pairs of those rows
        // are blended across y. Same operations in the same order as sampling four neighbours, so the same floats.
        var rows = ArrayPool<float>.Shared.Rent(2 * size * 3);
        try
        {
            var top = rows.AsSpan(0, size * 3);
            var bottom = rows.AsSpan(size * 3, size * 3);
            int topRow = int.MinValue, bottomRow = int.MinValue;
            var plane = size * size;
            var (meanR, meanG, meanB, divisor, offset) = (norm.MeanR, norm.MeanG, norm.MeanB, norm.Divisor, norm.Offset);
            for (var y = firstRow; y < endRow; y++)
            {
                if (y0[y] != topRow)
                {
                    if (y0[y] == bottomRow) bottom.CopyTo(top);
                    else Blend(image, crop.Y, y0[y], x0, x1, fx, top);
                    topRow = y0[y];
                }
                if (y1[y] != bottomRow)
                {
                    if (y1[y] == topRow) top.CopyTo(bottom);
                    else Blend(image, crop.Y, y1[y], x0, x1, fx, bottom);
                    bottomRow = y1[y];
                }
                var wy = fy[y];
                var r = destination.Slice(y * size, size);
                var g = destination.Slice(plane + y * size, size);
                var b = destination.Slice(2 * plane + y * size, size);
                for (int x = 0, i = 0; x < size; x++, i += 3)
                {
                    r[x] = (top[i] + (bottom[i] - top[i]) * wy - meanR) / divisor + offset;
                    g[x] = (top[i + 1] + (bottom[i + 1] - top[i + 1]) * wy - meanG) / divisor + offset;
                    b[x] = (top[i + 2] + (bottom[i + 2] - top[i + 2]) * wy - meanB) / divisor + offset;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rows);
        }
    }

    /// <summary>One source row (crop row <paramref name="row"/>, -1 = padding) blended across x into RGB floats.</summary>
    private static void Blend(RgbImage image, int cropY, int row, ReadOnlySpan<int> left, ReadOnlySpan<int> right, ReadOnlySpan<float> fx, Span<float> output)
    {
        if (row < 0)
        {
            output.Clear();
            return;
        }
        var px = image.Pixels.AsSpan((cropY + row) * image.Stride, image.Stride);
        for (int x = 0, o = 0; x < fx.Length; x++, o += 3)
        {
            int l = left[x], r = right[x];
            var w = fx[x];
            if (l >= 0 && r >= 0)
            {
                float lr = px[l], lg = px[l + 1], lb = px[l + 2];
                output[o] = lr + (px[r] - lr) * w;
                output[o + 1] = lg + (px[r + 1] - lg) * w;
                output[o + 2] = lb + (px[r + 2] - lb) * w;
            }
            else
            {
                // At the padding's edge one neighbour is black.
                float lr = l < 0 ? 0 : px[l], lg = l < 0 ? 0 : px[l + 1], lb = l < 0 ? 0 : px[l + 2];
                float rr = r < 0 ? 0 : px[r], rg = r < 0 ? 0 : px[r + 1], rb = r < 0 ? 0 : px[r + 2];
                output[o] = lr + (rr - lr) * w;
                output[o + 1] = lg + (rg - lg) * w;
                output[o + 2] = lb + (rb - lb) * w;
            }
        }
    }

    /// <summary>For each output index: the two source indices (in the unpadded crop, -1 in the padding) and the weight of the second.</summary>
    internal static void Table(int side, int size, int padBefore, int extent, Span<int> i0, Span<int> i1, Span<float> frac)
    {
        var scale = side / (double)size;
        for (var d = 0; d < size; d++)
        {
            var src = d * scale;
            var lo = (int)Math.Floor(src);
            var hi = Math.Min(side - 1, (int)Math.Ceiling(src));
            frac[d] = (float)(src - lo);
            i0[d] = Inside(lo - padBefore, extent);
            i1[d] = Inside(hi - padBefore, extent);
        }
    }

    private static int Inside(int i, int extent) => i >= 0 && i < extent ? i : -1;
}
