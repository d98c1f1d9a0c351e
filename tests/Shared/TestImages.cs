using SkiaSharp;
using Visage.Imaging;

namespace Visage.Tests;

/// <summary>Small images made in code for the decoder tests, and the real photos they are cut from.</summary>
public static class TestImages
{
    public static string Sample1 => Path.Combine(TestData.Samples, "sample1.jpg");

    /// <summary>Encodes a bitmap filled by <paramref name="paint"/> in the given format.</summary>
    public static byte[] Encode(int width, int height, SKColorType type, SKAlphaType alpha, SKEncodedImageFormat format, Action<SKCanvas> paint)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, type, alpha));
        using (var canvas = new SKCanvas(bitmap)) paint(canvas);
        using var data = bitmap.Encode(format, 95);
        return data.ToArray();
    }

    /// <summary>
    /// A JPEG with an EXIF APP1 segment carrying only the orientation tag (big-endian TIFF, one IFD entry),
    /// inserted right after the SOI marker of <paramref name="jpeg"/>.
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,          // header, IFD at offset 8
            0, 1,                                            // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1,                    // tag 0x0112 Orientation, SHORT, count 1
            (byte)(orientation >> 8), (byte)orientation, 0, 0, // value
            0, 0, 0, 0,                                      // no next IFD
        ];
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var length = payload.Length + 2;
        var segment = new byte[] { 0xFF, 0xE1, (byte)(length >> 8), (byte)length }.Concat(payload);
        return jpeg.Take(2).Concat(segment).Concat(jpeg.Skip(2)).ToArray();
    }

    /// <summary>The image enlarged <paramref name="k"/> times by repeating each pixel (nearest neighbour).</summary>
    public static RgbImage Enlarge(RgbImage image, int k)
    {
        var pixels = new byte[image.Width * k * image.Height * k * 3];
        for (var y = 0; y < image.Height * k; y++)
            for (var x = 0; x < image.Width * k; x++)
                image.Pixels.AsSpan(((y / k) * image.Width + x / k) * 3, 3).CopyTo(pixels.AsSpan((y * image.Width * k + x) * 3));
        return new RgbImage(image.Width * k, image.Height * k, pixels);
    }
}
