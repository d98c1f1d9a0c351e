using SkiaSharp;

namespace Visage.Imaging;

/// <summary>Turns stored pixels upright according to the EXIF orientation tag.</summary>
internal static class Orientation
{
    public static RgbImage Apply(RgbImage img, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft) return img;
        var (w, h) = (img.Width, img.Height);
        var transposed = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (ow, oh) = transposed ? (h, w) : (w, h);
        var dst = new byte[img.Pixels.Length];
        for (var y = 0; y < oh; y++)
            for (var x = 0; x < ow; x++)
            {
                // (sx, sy): the stored pixel that appears at upright (x, y).
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    SKEncodedOrigin.LeftBottom => (w - 1 - y, x),
                    _ => (x, y),
                };
                var s = (sy * w + sx) * 3;
                var d = (y * ow + x) * 3;
                dst[d] = img.Pixels[s];
                dst[d + 1] = img.Pixels[s + 1];
                dst[d + 2] = img.Pixels[s + 2];
            }
        return new RgbImage(ow, oh, dst);
    }
}
