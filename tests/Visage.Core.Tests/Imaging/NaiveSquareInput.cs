using Visage.Imaging;

namespace Visage.Tests.Imaging;

/// <summary>
/// The first, plain version of <see cref="SquareInput.Write"/> (four samples per output value, each bounds-checked):
/// the reference the optimized one must equal bit for bit, and the benchmarks' baseline.
/// </summary>
public static class NaiveSquareInput
{
    public static void Write(RgbImage image, PixelRect crop, SquarePadding padding, int size, PixelNormalization norm, Span<float> destination)
    {
        var side = Math.Max(crop.Width, crop.Height);
        var diff = Math.Abs(crop.Width - crop.Height);
        var before = padding == SquarePadding.Centered ? diff - (int)Math.Floor(diff * 0.5 + 0.5) : 0; // JavaScript Math.round of a non-negative value
        var padLeft = crop.Width < crop.Height ? before : 0;
        var padTop = crop.Height < crop.Width ? before : 0;

        // Column and row sampling tables: source index in crop coordinates (-1 = padding) and weight.
        Span<int> x0 = stackalloc int[size], x1 = stackalloc int[size], y0 = stackalloc int[size], y1 = stackalloc int[size];
        Span<float> fx = stackalloc float[size], fy = stackalloc float[size];
        SquareInput.Table(side, size, padLeft, crop.Width, x0, x1, fx); // the tables are shared: only the sampling changed
        SquareInput.Table(side, size, padTop, crop.Height, y0, y1, fy);

        var plane = size * size;
        var px = image.Pixels;
        var stride = image.Stride;
        var mean = (norm.MeanR, norm.MeanG, norm.MeanB);
        var inv = norm.Divisor;
        for (var y = 0; y < size; y++)
        {
            var rowTop = y0[y] < 0 ? -1 : (crop.Y + y0[y]) * stride;
            var rowBottom = y1[y] < 0 ? -1 : (crop.Y + y1[y]) * stride;
            var wy = fy[y];
            for (var x = 0; x < size; x++)
            {
                var colLeft = x0[x] < 0 ? -1 : (crop.X + x0[x]) * 3;
                var colRight = x1[x] < 0 ? -1 : (crop.X + x1[x]) * 3;
                var wx = fx[x];
                var o = y * size + x;
                for (var c = 0; c < 3; c++)
                {
                    float tl = Sample(px, rowTop, colLeft, c), tr = Sample(px, rowTop, colRight, c);
                    float bl = Sample(px, rowBottom, colLeft, c), br = Sample(px, rowBottom, colRight, c);
                    var top = tl + (tr - tl) * wx;
                    var bottom = bl + (br - bl) * wx;
                    var v = top + (bottom - top) * wy;
                    var m = c == 0 ? mean.MeanR : c == 1 ? mean.MeanG : mean.MeanB;
                    destination[c * plane + o] = (v - m) / inv + norm.Offset;
                }
            }
        }
    }

    private static float Sample(byte[] px, int row, int col, int c) => row < 0 || col < 0 ? 0f : px[row + col + c];
}
