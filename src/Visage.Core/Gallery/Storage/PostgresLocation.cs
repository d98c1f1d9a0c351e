using Npgsql;

namespace Visage.Gallery.Storage;

/// <summary>Turns a PostgreSQL gallery location (URI or key-value connection string) into an Npgsql connection string and a description.</summary>
public static class PostgresLocation
{
    /// <summary>
    /// The Npgsql connection string for <paramref name="location"/>: key-value strings pass through; a
    /// <c>postgres[ql]://user:password@host:port/database?key=value</c> URI (libpq's form, which Npgsql does not read)
    /// is translated, with <c>sslmode</c> and other query keys passed on as connection string keys.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not a connection string or URI Npgsql can use.</exception>
    /// <exception cref="UriFormatException">The URI is malformed.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string location)
    {
        var text = location.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) return new NpgsqlConnectionStringBuilder(text);
        var uri = new Uri(text);
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0) builder.Port = uri.Port;
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
        }
        return builder;
    }

    /// <summary><c>postgresql://host:port/database</c>, for messages (never the password).</summary>
    public static string Describe(NpgsqlConnectionStringBuilder b) =>
        $"postgresql://{b.Host}:{b.Port}/{b.Database ?? b.Username}";
}
