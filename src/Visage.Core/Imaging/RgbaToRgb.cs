using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Visage.Imaging;

/// <summary>8-bit RGBA to RGB, for the whole-image and the row-by-row decode paths alike.</summary>
internal static class RgbaToRgb
{
    /// <summary>Converts <c>rgba.Length / 4</c> pixels; translucent pixels are blended over white.</summary>
    public static void Convert(ReadOnlySpan<byte> rgba, Span<byte> rgb, bool hasAlpha)
    {
        var n = rgba.Length / 4;
        if (rgb.Length < n * 3) throw new ArgumentException("the RGB span is too short", nameof(rgb));
        int i = 0, s = 0, d = 0;
        if (!hasAlpha)
        {
            // Opaque (every JPEG): drop each fourth byte with one shuffle per 4 pixels. A store writes 16 bytes of which
            // 12 are kept, so stop while a whole store still fits.
            var keep = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 255, 255, 255, 255);
            ref var src = ref MemoryMarshal.GetReference(rgba);
            ref var dst = ref MemoryMarshal.GetReference(rgb);
            for (; i + 4 <= n && d + 16 <= rgb.Length; i += 4, s += 16, d += 12)
                Vector128.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)s), keep).StoreUnsafe(ref dst, (nuint)d);
        }
        for (; i < n; i++, s += 4, d += 3)
        {
            var a = hasAlpha ? rgba[s + 3] : (byte)255;
            if (a == 255)
            {
                rgb[d] = rgba[s];
                rgb[d + 1] = rgba[s + 1];
                rgb[d + 2] = rgba[s + 2];
            }
            else
            {
                var white = 255 * (255 - a) + 127;
                rgb[d] = (byte)((rgba[s] * a + white) / 255);
                rgb[d + 1] = (byte)((rgba[s + 1] * a + white) / 255);
                rgb[d + 2] = (byte)((rgba[s + 2] * a + white) / 255);
            }
        }
    }
}
