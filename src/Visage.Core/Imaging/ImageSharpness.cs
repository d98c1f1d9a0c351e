namespace Visage.Imaging;

/// <summary>
/// How sharp an image is: the variance of the 4-neighbour Laplacian of its luma (0..255), divided by the luma's own
/// variance so that a dim or low-contrast face is not taken for a blurred one. A blur removes the fine detail the
/// Laplacian responds to and leaves the broad shading, so the ratio falls. Meant for images of one scale (the aligned
/// face chip): the same face cut at another size has another ratio.
/// </summary>
public static class ImageSharpness
{
    /// <summary>The sharpness of an image (0 for one smaller than 3 x 3 or of one flat colour).</summary>
    public static double Of(RgbImage image)
    {
        int w = image.Width, h = image.Height;
        if (w < 3 || h < 3) return 0;
        var luma = new float[w * h];
        var px = image.Pixels;
        for (var i = 0; i < luma.Length; i++) luma[i] = 0.299f * px[3 * i] + 0.587f * px[3 * i + 1] + 0.114f * px[3 * i + 2];
        double sum = 0, squares = 0, lap = 0, lapSquares = 0;
        foreach (var v in luma)
        {
            sum += v;
            squares += (double)v * v;
        }
        for (var y = 1; y < h - 1; y++)
            for (var x = 1; x < w - 1; x++)
            {
                var i = y * w + x;
                double l = luma[i - 1] + luma[i + 1] + luma[i - w] + luma[i + w] - 4 * luma[i];
                lap += l;
                lapSquares += l * l;
            }
        var inner = (double)(w - 2) * (h - 2);
        var lumaVariance = squares / luma.Length - (sum / luma.Length) * (sum / luma.Length);
        var lapVariance = lapSquares / inner - (lap / inner) * (lap / inner);
        return lumaVariance < 1e-6 ? 0 : lapVariance / lumaVariance;
    }
}
