using SkiaSharp;
using Visage.Imaging;

namespace Visage.Tests.Imaging;

/// <summary>The shuffled RGBA-to-RGB copy of opaque images gives Skia's own pixels, at every size around the 4-pixel step.</summary>
public sealed class RgbConversionTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(5, 3)]
    [InlineData(16, 16)]
    [InlineData(17, 9)]
    public void Opaque_decode_keeps_every_pixel(int width, int height)
    {
        var png = TestImages.Encode(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque, SKEncodedImageFormat.Png, canvas =>
        {
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                    canvas.DrawPoint(x, y, new SKColor((byte)(x * 37 + y), (byte)(y * 53 + 7), (byte)(x * y + 100)));
        });
        AssertSameAsSkia(png);
    }

    [Fact]
    public void A_photo_decodes_to_skias_pixels() => AssertSameAsSkia(File.ReadAllBytes(TestImages.Sample1));

    private static void AssertSameAsSkia(byte[] encoded)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(encoded));
        using var expected = new SKBitmap(new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(expected.Info, expected.GetPixels()));

        var image = new ImageDecoder().Decode(encoded);

        var rgba = expected.Bytes;
        Assert.Equal(expected.Width * expected.Height * 3, image.Pixels.Length);
        for (var p = 0; p < expected.Width * expected.Height; p++)
            for (var c = 0; c < 3; c++)
                if (image.Pixels[p * 3 + c] != rgba[p * 4 + c]) Assert.Fail($"pixel {p} channel {c}: {image.Pixels[p * 3 + c]} != {rgba[p * 4 + c]}");
    }
}
