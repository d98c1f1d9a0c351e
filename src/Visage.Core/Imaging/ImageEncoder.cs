using System.Runtime.InteropServices;
using SkiaSharp;

namespace Visage.Imaging;

/// <summary>Writes RGB images as JPEG or PNG.</summary>
public static class ImageEncoder
{
    /// <summary>Encodes; the format follows the file extension of <paramref name="pathOrExtension"/> (.png, else JPEG).</summary>
    public static byte[] Encode(RgbImage image, string pathOrExtension, int jpegQuality = 90)
    {
        using var bitmap = ToBitmap(image);
        var png = pathOrExtension.EndsWith(".png", StringComparison.OrdinalIgnoreCase);
        using var data = bitmap.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, jpegQuality);
        return data.ToArray();
    }

    /// <summary>Encodes and writes a file (PNG for .png, JPEG otherwise).</summary>
    public static void Save(RgbImage image, string path, int jpegQuality = 90) => File.WriteAllBytes(path, Encode(image, path, jpegQuality));

    /// <summary>An opaque Skia bitmap holding a copy of the pixels.</summary>
    internal static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, s = 0; s < image.Pixels.Length; i += 4, s += 3)
        {
            rgba[i] = image.Pixels[s];
            rgba[i + 1] = image.Pixels[s + 1];
            rgba[i + 2] = image.Pixels[s + 2];
            rgba[i + 3] = 255;
        }
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    /// <summary>The RGB pixels of an opaque RGBA8888 bitmap.</summary>
    internal static RgbImage FromBitmap(SKBitmap bitmap)
    {
        var rgba = new byte[bitmap.Width * bitmap.Height * 4];
        Marshal.Copy(bitmap.GetPixels(), rgba, 0, rgba.Length);
        var rgb = new byte[bitmap.Width * bitmap.Height * 3];
        for (int i = 0, d = 0; d < rgb.Length; i += 4, d += 3)
        {
            rgb[d] = rgba[i];
            rgb[d + 1] = rgba[i + 1];
            rgb[d + 2] = rgba[i + 2];
        }
        return new RgbImage(bitmap.Width, bitmap.Height, rgb);
    }
}
