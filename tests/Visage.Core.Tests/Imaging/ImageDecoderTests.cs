using SkiaSharp;
using Visage.Imaging;

namespace Visage.Tests.Imaging;

public sealed class ImageDecoderTests
{
    private readonly ImageDecoder _decoder = new();

    [Fact]
    public void Zero_bytes_is_an_empty_image() =>
        Assert.Equal(ImageError.Empty, Assert.Throws<ImageDecodeException>(() => _decoder.Decode([])).Error);

    [Fact]
    public void Text_is_not_an_image() =>
        Assert.Equal(ImageError.NotAnImage, Assert.Throws<ImageDecodeException>(() => _decoder.Decode("hello, this is not a photo"u8)).Error);

    [Fact]
    public void Half_a_jpeg_is_truncated()
    {
        var jpeg = File.ReadAllBytes(TestImages.Sample1);
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(jpeg.AsSpan(0, jpeg.Length / 2))).Error;
        Assert.Equal(ImageError.Truncated, error);
    }

    [Fact]
    public void A_100_megapixel_png_is_refused_from_its_header_without_allocating_it()
    {
        var png = HostileImages.BlackPng(10_000, 10_000);
        Assert.Equal(new ImageHeader(10_000, 10_000, "Png"), _decoder.Identify(png));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(png));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ImageError.TooLarge, error.Error);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes while refusing");
    }

    [Fact]
    public void The_pixel_limit_is_configurable()
    {
        var png = HostileImages.BlackPng(100, 100);
        Assert.Equal(100, _decoder.Decode(png).Width);
        var strict = new ImageDecoder(new ImagingOptions { MaxPixels = 9_999 });
        Assert.Equal(ImageError.TooLarge, Assert.Throws<ImageDecodeException>(() => strict.Decode(png)).Error);
    }

    [Fact]
    public void Exif_orientation_6_turns_the_image_upright()
    {
        // Stored 40x20 with a red left half; orientation 6 (rotate 90 degrees clockwise to display) puts it on top.
        var jpeg = TestImages.Encode(40, 20, SKColorType.Rgba8888, SKAlphaType.Opaque, SKEncodedImageFormat.Jpeg, c =>
        {
            c.Clear(SKColors.Blue);
            c.DrawRect(0, 0, 20, 20, new SKPaint { Color = SKColors.Red });
        });
        var upright = _decoder.Decode(TestImages.WithExifOrientation(jpeg, 6));

        Assert.Equal((20, 40), (upright.Width, upright.Height));
        Assert.True(Red(upright, 10, 5) > 200 && Red(upright, 10, 35) < 50, "red half should be on top after rotation");
    }

    [Fact]
    public void Grayscale_jpeg_decodes_to_equal_rgb_channels()
    {
        var jpeg = TestImages.Encode(16, 16, SKColorType.Gray8, SKAlphaType.Opaque, SKEncodedImageFormat.Jpeg, c => c.Clear(new SKColor(128, 128, 128)));
        var img = _decoder.Decode(jpeg);
        Assert.Equal(img.Pixels[0], img.Pixels[1]);
        Assert.Equal(img.Pixels[1], img.Pixels[2]);
        Assert.InRange(img.Pixels[0], 120, 136);
    }

    [Fact]
    public void Transparent_png_pixels_become_white()
    {
        var png = TestImages.Encode(4, 4, SKColorType.Rgba8888, SKAlphaType.Unpremul, SKEncodedImageFormat.Png, c => c.Clear(SKColors.Transparent));
        var img = _decoder.Decode(png);
        Assert.All(img.Pixels, b => Assert.Equal(255, b));
    }

    [Fact]
    public void Cmyk_jpeg_decodes_to_rgb()
    {
        // 16x16 pure red saved by ImageMagick as an Adobe CMYK JPEG (fixtures/cmyk-red.jpg, made with
        // `convert -size 16x16 xc:red -colorspace CMYK -quality 95 cmyk-red.jpg`).
        var img = _decoder.DecodeFile(Path.Combine(AppContext.BaseDirectory, "fixtures", "cmyk-red.jpg"));
        Assert.True(img.Pixels[0] > 200 && img.Pixels[1] < 60 && img.Pixels[2] < 60, $"got {img.Pixels[0]},{img.Pixels[1]},{img.Pixels[2]}");
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Webp)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    public void Formats_round_trip(SKEncodedImageFormat format)
    {
        var bytes = TestImages.Encode(24, 12, SKColorType.Rgba8888, SKAlphaType.Opaque, format, c => c.Clear(new SKColor(10, 200, 30)));
        var img = _decoder.Decode(bytes);
        Assert.Equal((24, 12), (img.Width, img.Height));
        Assert.InRange(img.Pixels[1], 180, 220);
    }

    [Theory]
    [InlineData("green.bmp")]
    [InlineData("green-then-red.gif")] // an animation: the first frame is the one decoded
    public void Bmp_and_gif_first_frame_decode(string file)
    {
        var img = _decoder.DecodeFile(Path.Combine(AppContext.BaseDirectory, "fixtures", file));
        Assert.Equal((12, 8), (img.Width, img.Height));
        Assert.True(img.Pixels[0] < 30 && img.Pixels[1] > 170 && img.Pixels[2] < 30, $"got {img.Pixels[0]},{img.Pixels[1]},{img.Pixels[2]}");
    }

    [Fact]
    public void A_webp_is_decoded_with_no_managed_rgba_copy_and_one_cut_short_leaves_nothing_behind()
    {
        // WebP has no row-by-row decode: its whole RGBA image (4 bytes a pixel) lives in native memory, freed at once,
        // so the managed heap holds only the RGB result (3 bytes a pixel) and what a failed decode leaves is nothing.
        var webp = TestImages.Encode(1200, 1000, SKColorType.Rgba8888, SKAlphaType.Opaque, SKEncodedImageFormat.Webp, c =>
        {
            c.Clear(new SKColor(10, 200, 30));
            using var paint = new SKPaint { Color = new SKColor(200, 20, 20) };
            c.DrawRect(600, 0, 600, 1000, paint);
        });
        const long rgb = 1200 * 1000 * 3;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var img = _decoder.Decode(webp);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, rgb, rgb + (1 << 20));
        Assert.True(Red(img, 100, 500) < 40 && Red(img, 1100, 500) > 160, $"got {Red(img, 100, 500)} and {Red(img, 1100, 500)}");

        // Its header still reads, so the decode fails in the pixels, after the RGBA buffer was taken.
        var half = webp[..(webp.Length / 2)];
        Assert.Equal(new ImageHeader(1200, 1000, "Webp"), _decoder.Identify(half));
        before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(half)).Error;
        Assert.Contains(error, new[] { ImageError.Truncated, ImageError.Corrupt });
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
    }

    private static int Red(RgbImage img, int x, int y) => img.Pixels[(y * img.Width + x) * 3];
}
