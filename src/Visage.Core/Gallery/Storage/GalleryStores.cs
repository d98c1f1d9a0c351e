namespace Visage.Gallery.Storage;

/// <summary>Chooses the store for a gallery location.</summary>
public static class GalleryStores
{
    /// <summary>
    /// Opens the store at <paramref name="location"/>: a PostgreSQL URI (<c>postgres://</c>, <c>postgresql://</c>) or
    /// key-value connection string (<c>Host=...</c>) opens <see cref="PostgresGalleryStore"/>; anything else is a file
    /// path and opens <see cref="SqliteGalleryStore"/>.
    /// </summary>
    /// <exception cref="GalleryCorruptException">The file or database is not a usable gallery (it is left untouched).</exception>
    /// <exception cref="GalleryUnavailableException">The gallery cannot be opened or reached.</exception>
    public static IGalleryStore Open(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        return IsPostgres(location) ? new PostgresGalleryStore(location) : new SqliteGalleryStore(location);
    }

    /// <summary>
    /// The gallery to use when none is named: <c>$VISAGE_DB</c> (a SQLite path or a PostgreSQL connection string),
    /// else <c>visage.db</c> in the cache directory (<see cref="VisageHome.DefaultDatabasePath"/>).
    /// </summary>
    public static string DefaultLocation
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("VISAGE_DB");
            return string.IsNullOrWhiteSpace(env) ? VisageHome.DefaultDatabasePath : env;
        }
    }

    /// <summary>True for a PostgreSQL URI or a key-value connection string naming a host.</summary>
    public static bool IsPostgres(string location)
    {
        var text = location.TrimStart();
        return text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || (text.Contains('=') && text.Split(';').Any(part =>
                part.Split('=', 2)[0].Trim() is var key
                && (key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.Equals("Server", StringComparison.OrdinalIgnoreCase))));
    }
}
