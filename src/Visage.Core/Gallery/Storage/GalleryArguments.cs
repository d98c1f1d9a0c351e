namespace Visage.Gallery.Storage;

/// <summary>Argument rules every store applies the same way.</summary>
internal static class GalleryArguments
{
    public static void CheckName(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a person's name must not be empty", paramName);
    }

    /// <summary>The hash in lower case, so the same image always gives the same key.</summary>
    public static string NormalizeSha256(string sha256, string paramName)
    {
        ArgumentNullException.ThrowIfNull(sha256, paramName);
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
            throw new ArgumentException($"an image SHA-256 is 64 hex digits, got '{sha256}'", paramName);
        return sha256.ToLowerInvariant();
    }

    public static void CheckPage(int offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
    }
}
