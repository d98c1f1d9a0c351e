using System.Buffers;
using SkiaSharp;

namespace Visage.Imaging;

/// <summary>
/// Decodes a strip of rows at a time straight into the RGB buffer, so a large image costs its RGB bytes (3 per pixel)
/// plus one RGBA strip of about 1 MB, rather than a whole RGBA copy (4 per pixel) beside the RGB one: at the 40 MP limit,
/// 120 MB instead of 280 MB at the peak, and no 160 MB array left on the large object heap.
/// A large baseline JPEG is decoded as two halves side by side, one per core (<see cref="Parts"/>).
/// </summary>
internal static class ScanlineDecode
{
    private const int StripBytes = 1 << 20;

    /// <summary>Below this many pixels one core decodes the whole image: a second decoder would not pay for itself.</summary>
    internal const long MinPixelsInParts = 250_000;

    /// <summary>
    /// The RGB pixels, or null when the codec cannot decode this image by scanlines top-down (WebP, GIF, interlaced PNG,
    /// bottom-up BMP): the caller then decodes the whole image at once.
    /// </summary>
    /// <param name="data">The encoded image <paramref name="codec"/> reads (a second decoder reads it too).</param>
    /// <param name="codec">A decoder of <paramref name="data"/>.</param>
    /// <param name="info">The pixels wanted: RGBA, unpremultiplied, the encoded size.</param>
    /// <param name="hasAlpha">Whether translucent pixels must be blended over white.</param>
    /// <exception cref="ImageDecodeException">The data ends or breaks off before the last row.</exception>
    public static byte[]? TryDecode(SKData data, SKCodec codec, SKImageInfo info, bool hasAlpha)
    {
        if (codec.StartScanlineDecode(info) != SKCodecResult.Success || codec.ScanlineOrder != SKCodecScanlineOrder.TopDown) return null;
        var (width, height) = (info.Width, info.Height);
        var rgb = new byte[checked(width * height * 3)];
        if (Parts(data.AsSpan(), codec, info) == 1)
        {
            Rows(codec, info, rgb, 0, height, hasAlpha);
            return rgb;
        }
        // The bottom half's decoder skips the top half's rows first: libjpeg-turbo still reads their Huffman codes but
        // leaves out the inverse DCT and the colour conversion, about a tenth of the work (1.0 of 13.5 ms on a
        // 1920x1280 photo). The two halves are the pixels of one decode, byte for byte (ScanlineDecodeTests).
        var middle = height / 2;
        AcrossCores.Map([0, middle], top =>
        {
            if (top == 0)
            {
                Rows(codec, info, rgb, 0, middle, hasAlpha);
                return 0;
            }
            using var second = SKCodec.Create(new SKMemoryStream(data))
                ?? throw new ImageDecodeException(ImageError.Corrupt, "image header is damaged");
            if (second.StartScanlineDecode(info) != SKCodecResult.Success || !second.SkipScanlines(top))
                throw new ImageDecodeException(ImageError.Truncated, $"image data ends or is damaged before row {top} of {height}");
            Rows(second, info, rgb, top, height, hasAlpha);
            return 0;
        });
        return rgb;
    }

    /// <summary>
    /// Into how many parts an image is decoded: two for a baseline JPEG of <see cref="MinPixelsInParts"/> or more when
    /// there is a second core, else one. A progressive JPEG's rows cannot be skipped without decoding every scan of the
    /// whole image, so its second decoder would repeat most of the first one's work (a 2000x1428 photo: 42 ms for the
    /// two halves side by side against 50 ms for one decode, with 90 ms of CPU instead of 50).
    /// </summary>
    internal static int Parts(ReadOnlySpan<byte> encoded, SKCodec codec, SKImageInfo info) =>
        AcrossCores.HasOtherCores && codec.EncodedFormat == SKEncodedImageFormat.Jpeg
        && (long)info.Width * info.Height >= MinPixelsInParts && !JpegFrame.IsProgressive(encoded) ? 2 : 1;

    /// <summary>Decodes rows <paramref name="from"/> to <paramref name="to"/> (the codec stands at <paramref name="from"/>) into their place in <paramref name="rgb"/>.</summary>
    private static unsafe void Rows(SKCodec codec, SKImageInfo info, byte[] rgb, int from, int to, bool hasAlpha)
    {
        var width = info.Width;
        var rows = Math.Clamp(StripBytes / (width * 4), 1, to - from);
        var strip = ArrayPool<byte>.Shared.Rent(rows * width * 4);
        try
        {
            fixed (byte* pointer = strip)
            {
                for (var y = from; y < to; y += rows)
                {
                    var count = Math.Min(rows, to - y);
                    if (codec.GetScanlines((IntPtr)pointer, count, width * 4) < count)
                        throw new ImageDecodeException(ImageError.Truncated, $"image data ends or is damaged before row {y + count} of {info.Height}");
                    RgbaToRgb.Convert(strip.AsSpan(0, count * width * 4), rgb.AsSpan(y * width * 3, count * width * 3), hasAlpha);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(strip);
        }
    }
}
