using System.Buffers;
using SkiaSharp;

namespace Visage.Imaging;

/// <summary>
/// Decodes a strip of rows at a time straight into the RGB buffer, so a large image costs its RGB bytes (3 per pixel)
/// plus one RGBA strip of about 1 MB, rather than a whole RGBA copy (4 per pixel) beside the RGB one: at the 40 MP limit,
/// 120 MB instead of 280 MB at the peak, and no 160 MB array left on the large object heap.
/// </summary>
internal static class ScanlineDecode
{
    private const int StripBytes = 1 << 20;

    /// <summary>
    /// The RGB pixels, or null when the codec cannot decode this image by scanlines top-down (WebP, GIF, interlaced PNG,
    /// bottom-up BMP): the caller then decodes the whole image at once.
    /// </summary>
    /// <exception cref="ImageDecodeException">The data ends or breaks off before the last row.</exception>
    public static unsafe byte[]? TryDecode(SKCodec codec, SKImageInfo info, bool hasAlpha)
    {
        if (codec.StartScanlineDecode(info) != SKCodecResult.Success || codec.ScanlineOrder != SKCodecScanlineOrder.TopDown) return null;
        var (width, height) = (info.Width, info.Height);
        var rgb = new byte[checked(width * height * 3)];
        var rows = Math.Clamp(StripBytes / (width * 4), 1, height);
        var strip = ArrayPool<byte>.Shared.Rent(rows * width * 4);
        try
        {
            fixed (byte* pointer = strip)
            {
                for (var y = 0; y < height; y += rows)
                {
                    var count = Math.Min(rows, height - y);
                    if (codec.GetScanlines((IntPtr)pointer, count, width * 4) < count)
                        throw new ImageDecodeException(ImageError.Truncated, $"image data ends or is damaged before row {y + count} of {height}");
                    RgbaToRgb.Convert(strip.AsSpan(0, count * width * 4), rgb.AsSpan(y * width * 3, count * width * 3), hasAlpha);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(strip);
        }
        return rgb;
    }
}
