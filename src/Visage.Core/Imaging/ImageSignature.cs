namespace Visage.Imaging;

/// <summary>Recognizes the supported formats by their first bytes, so that non-images are told apart from damaged images.</summary>
internal static class ImageSignature
{
    public static bool IsSupported(ReadOnlySpan<byte> b) =>
        b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])                              // JPEG
        || b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])      // PNG
        || b.StartsWith("GIF8"u8)                                                          // GIF87a / GIF89a
        || b.StartsWith("BM"u8)                                                            // BMP
        || (b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)); // WebP
}
