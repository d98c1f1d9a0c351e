using SkiaSharp;
using Visage.Faces;

namespace Visage.Imaging;

/// <summary>Small square JPEGs of faces, for galleries and previews.</summary>
public static class FaceThumbnail
{
    /// <summary>Default side in pixels: large enough to recognize a face by eye, about 3-5 kB as JPEG.</summary>
    public const int DefaultSize = 96;

    /// <summary>
    /// A square around <paramref name="box"/> (its longer side plus 20% on each side, so hair and chin show), clipped to
    /// the image, scaled to <paramref name="size"/> pixels on its longer side and encoded as JPEG (quality 85).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 8.</exception>
    public static byte[] Jpeg(RgbImage image, BoundingBox box, int size = DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        var side = Math.Max(box.Width, box.Height) * 1.4;
        var crop = PixelRect.ClipFloor(box.Center.X - side / 2, box.Center.Y - side / 2, side, side, image.Width, image.Height);
        if (crop.IsEmpty) crop = new PixelRect(0, 0, image.Width, image.Height);
        var face = image.Crop(crop.X, crop.Y, crop.Width, crop.Height);
        var scale = (double)size / Math.Max(face.Width, face.Height);
        var (w, h) = (Math.Max(1, (int)Math.Round(face.Width * scale)), Math.Max(1, (int)Math.Round(face.Height * scale)));
        using var source = ImageEncoder.ToBitmap(face);
        using var scaled = source.Resize(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var data = scaled.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }
}
