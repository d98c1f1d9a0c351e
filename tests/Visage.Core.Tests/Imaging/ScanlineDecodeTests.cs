using SkiaSharp;
using Visage.Imaging;

namespace Visage.Tests.Imaging;

/// <summary>The row-strip decode (in two halves side by side for a large baseline JPEG) against a naive whole-image one, and what it saves.</summary>
public sealed class ScanlineDecodeTests
{
    public static TheoryData<string> Files => new()
    {
        Path.Combine(TestData.Samples, "sample1.jpg"),                 // 1920 px baseline: two halves
        Path.Combine(TestData.Samples, "sample2.jpg"),
        Path.Combine(TestData.Groups, "group_3_faces.jpg"),             // 800x534: two halves
        Path.Combine(TestData.Groups, "kit_with_rose.jpg"),             // 501x700, odd width: two halves
        Path.Combine(TestData.Groups, "obama_and_biden.jpg"),           // progressive: one decode
        Path.Combine(TestData.NonFaces, "hubble_deep_field.jpg"),
        Path.Combine(TestData.NonFaces, "cat_chelsea.png"),
        Path.Combine(TestData.NonFaces, "horse_silhouette.png"), // transparency, blended over white
        Path.Combine(TestData.RepoRoot, "tests", "Visage.Core.Tests", "fixtures", "green.bmp"),
        Path.Combine(TestData.RepoRoot, "tests", "Visage.Core.Tests", "fixtures", "cmyk-red.jpg"),
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Decode_GivesThePixelsOfANaiveWholeImageDecode(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var fast = new ImageDecoder().Decode(bytes);

        using var codec = SKCodec.Create(new SKMemoryStream(bytes));
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, bitmap.GetPixels()));
        var rgba = bitmap.Bytes;
        Assert.Equal(SKEncodedOrigin.TopLeft, codec.EncodedOrigin); // the files are upright: no rotation to compare around
        Assert.Equal((info.Width, info.Height), (fast.Width, fast.Height));
        var opaque = codec.Info.AlphaType == SKAlphaType.Opaque; // read once: each read is a call into Skia
        for (var i = 0; i < info.Width * info.Height; i++)
        {
            var a = opaque ? 255 : rgba[i * 4 + 3];
            for (var c = 0; c < 3; c++)
            {
                var expected = (byte)((rgba[i * 4 + c] * a + 255 * (255 - a) + 127) / 255);
                if (fast.Pixels[i * 3 + c] != expected) Assert.Fail($"pixel {i} channel {c}: {fast.Pixels[i * 3 + c]}, expected {expected}");
            }
        }
    }

    [Fact]
    public void ALargeJpeg_CostsItsRgbBytes_NotAWholeRgbaCopyBeside()
    {
        const int Width = 4000, Height = 3000;
        using var bitmap = new SKBitmap(Width, Height);
        bitmap.Erase(new SKColor(200, 120, 40));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
        var jpeg = data.ToArray();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var image = new ImageDecoder().Decode(jpeg);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((Width, Height), (image.Width, image.Height));
        // 3 bytes a pixel (36 MB) plus small change; the whole-image path allocates 7 (84 MB).
        Assert.InRange(allocated, Width * Height * 3L, Width * Height * 3L + 4_000_000);
    }

    [Theory]
    [InlineData("samples/sample1.jpg", 2)]        // 1920x1280 baseline
    [InlineData("groups/group_3_faces.jpg", 2)]   // 800x534 baseline
    [InlineData("groups/obama_and_biden.jpg", 1)] // progressive: its rows cannot be skipped
    [InlineData("nonfaces/cat_chelsea.png", 1)]   // not a JPEG
    public void OnlyALargeBaselineJpeg_IsDecodedInTwoHalves(string file, int parts)
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestData.Shared, "data", file));
        using var codec = SKCodec.Create(new SKMemoryStream(bytes));
        Assert.Equal(parts, ScanlineDecode.Parts(bytes, codec, codec.Info));
        Assert.Equal(file.Contains("obama"), JpegFrame.IsProgressive(bytes));
    }

    [Fact]
    public void ASmallJpegOrNonsense_IsOneDecode_AndNotProgressive()
    {
        using var bitmap = new SKBitmap(400, 300); // 120,000 pixels, under MinPixelsInParts
        bitmap.Erase(SKColors.Teal);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        var jpeg = data.ToArray();
        using var codec = SKCodec.Create(new SKMemoryStream(jpeg));
        Assert.Equal(1, ScanlineDecode.Parts(jpeg, codec, codec.Info));
        Assert.False(JpegFrame.IsProgressive(jpeg));
        Assert.False(JpegFrame.IsProgressive([0xFF, 0xD8, 0xFF, 0xE0, 0x00])); // a segment cut short
        Assert.False(JpegFrame.IsProgressive("not a jpeg"u8));
    }

    [Theory]
    [InlineData(25)] // cut in the top half: the bottom half's decoder fails while skipping it too
    [InlineData(75)] // cut past the first strip, in the bottom half
    public void AJpegCutShort_IsTruncated_InEitherHalf(int percentKept)
    {
        using var bitmap = new SKBitmap(2000, 2000);
        bitmap.Erase(SKColors.Teal);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        var jpeg = data.ToArray();
        var error = Assert.Throws<ImageDecodeException>(() => new ImageDecoder().Decode(jpeg.AsSpan(0, jpeg.Length * percentKept / 100)));
        Assert.Equal(ImageError.Truncated, error.Error);
    }
}
