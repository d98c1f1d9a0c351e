namespace Visage.Imaging;

/// <summary>What a JPEG's frame header says, read by walking its marker segments (no pixel is decoded).</summary>
internal static class JpegFrame
{
    /// <summary>
    /// Whether the JPEG is progressive (its frame header is SOF2, SOF6, SOF10 or SOF14). False for a baseline or
    /// extended JPEG, and for anything that is not a well-formed JPEG up to its frame header: the decoder reports those.
    /// </summary>
    public static bool IsProgressive(ReadOnlySpan<byte> jpeg)
    {
        if (!jpeg.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8])) return false;
        var i = 2;
        while (i + 1 < jpeg.Length)
        {
            if (jpeg[i] != 0xFF) return false;
            var marker = jpeg[i + 1];
            if (marker == 0xFF) { i++; continue; }                                 // fill byte before a marker
            if (marker is 0xC2 or 0xC6 or 0xCA or 0xCE) return true;                // progressive frames
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC) return false; // any other frame
            if (marker is 0xDA or 0xD9) return false;                               // a scan or the end before a frame
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; }     // markers without a length
            if (i + 3 >= jpeg.Length) return false;
            i += 2 + ((jpeg[i + 2] << 8) | jpeg[i + 3]);                            // skip the segment (APPn, DQT, DHT, ...)
        }
        return false;
    }
}
