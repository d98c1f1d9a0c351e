using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Visage.Tests;

/// <summary>
/// Seeded generator of broken and hostile image bytes made from real photos: bit flips, truncation, foreign
/// headers, huge declared dimensions, zeroed and shuffled ranges, inserted garbage, pure noise, empty input and
/// decompression bombs (tiny files that declare tens of megapixels). Same seed, same sequence.
/// </summary>
public sealed class HostileImages(IReadOnlyList<byte[]> seeds, int seed)
{
    private readonly Random _rng = new(seed);

    /// <summary>The kinds of damage, one per case in turn.</summary>
    public static readonly string[] Kinds =
        ["bitflip", "truncate", "foreign-header", "huge-dimensions", "zeroed-range", "shuffled-ranges", "inserted-bytes", "noise", "empty", "bomb"];

    /// <summary>The next case: its kind and its bytes.</summary>
    public (string Kind, byte[] Bytes) Next(int index)
    {
        var kind = Kinds[index % Kinds.Length];
        var source = seeds[_rng.Next(seeds.Count)];
        return (kind, kind switch
        {
            "bitflip" => BitFlips(source),
            "truncate" => source[.._rng.Next(1, source.Length)],
            "foreign-header" => ForeignHeader(source),
            "huge-dimensions" => HugeDimensions(source),
            "zeroed-range" => Zeroed(source),
            "shuffled-ranges" => Shuffled(source),
            "inserted-bytes" => Inserted(source),
            "noise" => Noise(_rng.Next(1, 64 * 1024)),
            "empty" => [],
            _ => Bomb(),
        });
    }

    private byte[] BitFlips(byte[] source)
    {
        var b = (byte[])source.Clone();
        for (var i = _rng.Next(1, 64); i > 0; i--) b[_rng.Next(b.Length)] ^= (byte)(1 << _rng.Next(8));
        return b;
    }

    private static readonly byte[][] Signatures =
    [
        [0xFF, 0xD8, 0xFF, 0xE0], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "GIF89a"u8.ToArray(), "BM"u8.ToArray(),
        "RIFF\0\0\0\0WEBPVP8 "u8.ToArray(),
    ];

    private byte[] ForeignHeader(byte[] source)
    {
        var b = (byte[])source.Clone();
        var sig = Signatures[_rng.Next(Signatures.Length)];
        sig.AsSpan(0, Math.Min(sig.Length, b.Length)).CopyTo(b);
        return b;
    }

    /// <summary>Rewrites the size fields of a JPEG frame header or PNG IHDR (CRC fixed half of the time).</summary>
    private byte[] HugeDimensions(byte[] source)
    {
        var b = (byte[])source.Clone();
        ushort Big() => (ushort)_rng.Next(20_000, 65_536);
        if (b.Length > 24 && b[0] == 0x89 && b[1] == (byte)'P')
        {
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(16), _rng.Next(2) == 0 ? Big() : _rng.Next());
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(20), _rng.Next(2) == 0 ? Big() : _rng.Next());
            if (_rng.Next(2) == 0) BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(29), Crc32.HashToUInt32(b.AsSpan(12, 17)));
            return b;
        }
        for (var i = 2; i + 9 < b.Length; i++)
        {
            // SOF0..SOF2: FF C0/C1/C2, length, precision, height, width.
            if (b[i] != 0xFF || b[i + 1] is not (0xC0 or 0xC1 or 0xC2)) continue;
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(i + 5), Big());
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(i + 7), Big());
            return b;
        }
        return BitFlips(b);
    }

    private byte[] Zeroed(byte[] source)
    {
        var b = (byte[])source.Clone();
        var start = _rng.Next(b.Length);
        b.AsSpan(start, Math.Min(b.Length - start, _rng.Next(1, 4096))).Clear();
        return b;
    }

    private byte[] Shuffled(byte[] source)
    {
        var b = (byte[])source.Clone();
        var length = Math.Min(b.Length / 4, _rng.Next(1, 2048));
        if (length == 0) return b;
        int x = _rng.Next(b.Length - length), y = _rng.Next(b.Length - length);
        var tmp = b.AsSpan(x, length).ToArray();
        b.AsSpan(y, length).CopyTo(b.AsSpan(x));
        tmp.CopyTo(b.AsSpan(y));
        return b;
    }

    private byte[] Inserted(byte[] source)
    {
        var at = _rng.Next(source.Length);
        return [.. source.AsSpan(0, at), .. Noise(_rng.Next(1, 512)), .. source.AsSpan(at)];
    }

    private byte[] Noise(int length)
    {
        var b = new byte[length];
        _rng.NextBytes(b);
        return b;
    }

    /// <summary>A valid 1-bit PNG of 4,000 to 30,000 pixels a side: a few kB that declare up to 900 megapixels.</summary>
    private byte[] Bomb()
    {
        var side = _rng.Next(4_000, 30_001);
        return BlackPng(side, side);
    }

    /// <summary>A complete, valid black 1-bit grayscale PNG (compresses to a few kB at any size).</summary>
    public static byte[] BlackPng(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 1; // bit depth 1, colour type 0 (grayscale)
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + (width + 7) / 8]; // filter byte 0, then zeros
            for (var y = 0; y < height; y++) z.Write(row);
        }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", raw.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        s.Write(four);
        var typeAndData = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32.HashToUInt32(typeAndData));
        s.Write(four);
    }
}
