namespace Visage.Gallery.Storage;

/// <summary>
/// Looks at a gallery file before SQLite does, so a file that is plainly not a database is rejected without
/// SQLite ever opening it (and so without any chance of it being written).
/// </summary>
internal static class SqliteFileHeader
{
    // https://www.sqlite.org/fileformat.html#the_database_header: 16 magic bytes in a 100-byte header.
    private static readonly byte[] Magic = "SQLite format 3\0"u8.ToArray();
    private const int HeaderLength = 100;

    /// <summary>Passes for a missing file, an empty file (SQLite's empty database) and a file with a SQLite header.</summary>
    public static void Check(string path)
    {
        if (Directory.Exists(path)) throw new GalleryUnavailableException($"the gallery '{path}' is a directory, not a file");
        if (!File.Exists(path)) return;
        Span<byte> header = stackalloc byte[HeaderLength];
        int read;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length == 0) return;
            read = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GalleryUnavailableException($"the gallery '{path}' cannot be read: {e.Message}", e);
        }
        if (read < HeaderLength || !header[..Magic.Length].SequenceEqual(Magic))
            throw new GalleryCorruptException(path, "it is not a SQLite database");
    }
}
