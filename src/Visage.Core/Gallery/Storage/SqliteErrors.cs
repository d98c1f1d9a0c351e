using Microsoft.Data.Sqlite;

namespace Visage.Gallery.Storage;

/// <summary>Turns SQLite's result codes into the gallery's exceptions.</summary>
internal static class SqliteErrors
{
    // https://www.sqlite.org/rescode.html
    private const int Perm = 3, Busy = 5, Locked = 6, NoMem = 7, ReadOnly = 8, IoErr = 10, Corrupt = 11, Full = 13,
        CantOpen = 14, Protocol = 15, NotADb = 26;

    public const int ConstraintUnique = 2067;

    /// <summary>The gallery exception for <paramref name="e"/>, or null when it is not about the database file itself.</summary>
    public static GalleryException? Translate(SqliteException e, string location) => e.SqliteErrorCode switch
    {
        Corrupt or NotADb => new GalleryCorruptException(location, e.Message, e),
        Perm or ReadOnly or CantOpen when WhyNotWritable(location) is { } why =>
            new GalleryUnavailableException($"the gallery '{location}' cannot be written: {why} ({e.Message})", e),
        Perm or Busy or Locked or NoMem or ReadOnly or IoErr or Full or CantOpen or Protocol =>
            new GalleryUnavailableException($"the gallery '{location}' cannot be used: {e.Message}", e),
        _ => null,
    };

    // SQLite says only "unable to open database file" or "attempt to write a readonly database"; the operating
    // system says why (a read-only file system, missing permissions).
    private static string? WhyNotWritable(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}
