using System.Runtime.InteropServices;
using SkiaSharp;

namespace Visage.Imaging;

/// <summary>
/// Decodes JPEG, PNG, WebP, BMP and GIF (first frame) with SkiaSharp into upright 8-bit RGB.
/// The header is read first: an image over <see cref="ImagingOptions.MaxPixels"/> is refused before any
/// pixel memory is allocated. EXIF orientation is applied; grayscale and CMYK come out as RGB; transparent
/// pixels are composited over white.
/// </summary>
public sealed class ImageDecoder(ImagingOptions? options = null)
{
    private readonly ImagingOptions _options = options ?? new ImagingOptions();

    /// <summary>The limits in force.</summary>
    public ImagingOptions Options => _options;

    /// <summary>Reads only the header: format and upright size.</summary>
    /// <exception cref="ImageDecodeException">Empty or not an image.</exception>
    public ImageHeader Identify(ReadOnlySpan<byte> data)
    {
        using var skData = SKData.CreateCopy(data);
        using var codec = OpenCodec(skData);
        return Header(codec);
    }

    /// <summary>Decodes a whole image.</summary>
    /// <exception cref="ImageDecodeException">Empty, not an image, truncated, corrupt or over the pixel limit.</exception>
    public RgbImage Decode(ReadOnlySpan<byte> data)
    {
        using var skData = SKData.CreateCopy(data);
        using var codec = OpenCodec(skData);
        var header = Header(codec);
        if (header.Pixels > _options.MaxPixels)
            throw new ImageDecodeException(ImageError.TooLarge,
                $"image is {header.Width}x{header.Height} ({header.Pixels / 1e6:0.#} MP), over the limit of {_options.MaxPixels / 1e6:0.#} MP");

        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        // Row strips where the codec allows it (JPEG, plain PNG, BMP): no whole RGBA copy beside the RGB pixels; a large
        // baseline JPEG as two halves, one per core.
        if (ScanlineDecode.TryDecode(skData, codec, info, codec.Info.AlphaType != SKAlphaType.Opaque) is { } scanned)
            return Orientation.Apply(new RgbImage(info.Width, info.Height, scanned), codec.EncodedOrigin);
        // The whole RGBA image in native memory, freed as soon as it is converted (or the decode fails): on the
        // managed heap its 4 bytes a pixel (160 MB at 40 MP) stayed committed until a later collection, beside the
        // RGB copy, and two such decodes at once took the service past 1 GB in the HTTP fuzz run.
        var length = checked(info.Width * info.Height * 4);
        byte[] rgb;
        unsafe
        {
            var rgba = NativeMemory.Alloc((nuint)length);
            try
            {
                Check(codec.GetPixels(info, (IntPtr)rgba));
                rgb = ToRgb(new ReadOnlySpan<byte>(rgba, length), codec.Info.AlphaType != SKAlphaType.Opaque);
            }
            finally
            {
                NativeMemory.Free(rgba);
            }
        }
        return Orientation.Apply(new RgbImage(info.Width, info.Height, rgb), codec.EncodedOrigin);
    }

    /// <summary>Reads and decodes a file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ImageDecodeException">The file is not a decodable image within the limits.</exception>
    public RgbImage DecodeFile(string path) => Decode(File.ReadAllBytes(path));

    private static SKCodec OpenCodec(SKData data)
    {
        if (data.Size == 0) throw new ImageDecodeException(ImageError.Empty, "image is empty (0 bytes)");
        if (!ImageSignature.IsSupported(data.AsSpan()))
            throw new ImageDecodeException(ImageError.NotAnImage, "not an image (JPEG, PNG, WebP, BMP or GIF expected)");
        var codec = SKCodec.Create(new SKMemoryStream(data), out var result); // the codec owns the stream
        if (codec is not null) return codec;
        throw result == SKCodecResult.IncompleteInput
            ? new ImageDecodeException(ImageError.Truncated, "image header is incomplete (truncated file)")
            : new ImageDecodeException(ImageError.Corrupt, $"image header is damaged ({result})");
    }

    private static ImageHeader Header(SKCodec codec)
    {
        var (w, h) = (codec.Info.Width, codec.Info.Height);
        if (w <= 0 || h <= 0) throw new ImageDecodeException(ImageError.Corrupt, $"image declares an empty size {w}x{h}");
        var swap = codec.EncodedOrigin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        return swap ? new ImageHeader(h, w, codec.EncodedFormat.ToString()) : new ImageHeader(w, h, codec.EncodedFormat.ToString());
    }

    /// <summary>Throws the decode error a codec's result stands for.</summary>
    private static void Check(SKCodecResult result)
    {
        switch (result)
        {
            case SKCodecResult.Success:
                return;
            case SKCodecResult.IncompleteInput:
                throw new ImageDecodeException(ImageError.Truncated, "image data ends before the image does (truncated file)");
            default:
                throw new ImageDecodeException(ImageError.Corrupt, $"image data is damaged ({result})");
        }
    }

    /// <summary>RGBA to RGB; translucent pixels are blended over white.</summary>
    private static byte[] ToRgb(ReadOnlySpan<byte> rgba, bool hasAlpha)
    {
        var rgb = GC.AllocateUninitializedArray<byte>(rgba.Length / 4 * 3);
        RgbaToRgb.Convert(rgba, rgb, hasAlpha);
        return rgb;
    }
}

/// <summary>What an image's header says, in upright orientation.</summary>
/// <param name="Width">Width after EXIF orientation.</param>
/// <param name="Height">Height after EXIF orientation.</param>
/// <param name="Format">Encoded format (Jpeg, Png, Webp, Bmp, Gif).</param>
public sealed record ImageHeader(int Width, int Height, string Format)
{
    /// <summary>Pixel count.</summary>
    public long Pixels => (long)Width * Height;
}
