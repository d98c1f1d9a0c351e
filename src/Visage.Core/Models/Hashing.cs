using System.Security.Cryptography;

namespace Visage.Models;

/// <summary>File hashes as lower-case hex, the form the catalog pins.</summary>
internal static class Hashing
{
    public static string Sha256File(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>npm's Subresource Integrity string (<c>sha512-BASE64</c>) of a file.</summary>
    public static string Sha512Integrity(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha512-" + Convert.ToBase64String(SHA512.HashData(stream));
    }
}
