using System.Globalization;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Serve.Keys;

/// <summary>
/// API keys in the gallery's own database (<see cref="GalleryDatabase"/>), in an <c>api_keys</c> table beside the
/// gallery's, so every process that shares a gallery shares its keys. Open the gallery store first: it creates or
/// checks the database.
/// </summary>
public sealed class ApiKeyStore : IDisposable
{
    private const string What = "the API keys";
    private readonly GalleryDatabase _db;

    private ApiKeyStore(GalleryDatabase db)
    {
        _db = db;
        _db.Execute(What, $"""
            CREATE TABLE IF NOT EXISTS api_keys (
                id      {db.IdColumn},
                name    TEXT NOT NULL,
                scope   TEXT NOT NULL CHECK (scope IN ('admin', 'recognize')),
                prefix  TEXT NOT NULL,
                sha256  TEXT NOT NULL UNIQUE,
                created TEXT NOT NULL
            )
            """);
        // Added later: the CompreFace service a key is bound to (NULL for a Visage key). Both databases add a column in place.
        if (!_db.HasColumn(What, "api_keys", "compreface"))
            _db.Execute(What, "ALTER TABLE api_keys ADD COLUMN compreface TEXT CHECK (compreface IN ('recognition', 'detection', 'verification'))");
    }

    /// <summary>The key store of the gallery at <paramref name="location"/> (see <see cref="GalleryStores.Open"/>).</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public static ApiKeyStore Open(string location) => GalleryDatabase.Open(location, db => new ApiKeyStore(db));

    /// <summary>Every key, oldest first.</summary>
    public IReadOnlyList<ApiKey> List() => _db.Run(What, c =>
    {
        using var command = GalleryDatabase.Command(c, "SELECT id, name, scope, prefix, sha256, created, compreface FROM api_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var keys = new List<ApiKey>();
        while (reader.Read())
        {
            keys.Add(new ApiKey(reader.GetInt64(0), reader.GetString(1), ApiKeySecret.ParseScope(reader.GetString(2))!.Value, reader.GetString(3),
                Convert.FromHexString(reader.GetString(4)),
                DateTime.Parse(reader.GetString(5), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return (IReadOnlyList<ApiKey>)keys;
    });

    /// <summary>Stores <paramref name="key"/> (hashed); returns the stored record, or the existing one when that key is already stored.</summary>
    /// <param name="name">What the key is for.</param>
    /// <param name="scope">What it may do (a CompreFace key's scope is not used: its service decides).</param>
    /// <param name="key">The key itself.</param>
    /// <param name="compreface">The CompreFace service to bind the key to (<see cref="CompreFaceService"/>), or null for a Visage key.</param>
    public ApiKey Add(string name, KeyScope scope, string key, string? compreface = null)
    {
        if (compreface is not null && CompreFaceService.Parse(compreface) != compreface)
            throw new ArgumentException($"'{compreface}' is not a CompreFace service: recognition, detection or verification", nameof(compreface));
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var hash = ApiKeySecret.Hash(key);
        if (List().FirstOrDefault(k => k.Sha256.AsSpan().SequenceEqual(hash)) is { } existing) return existing;
        var created = DateTime.UtcNow;
        var id = _db.Run(What, c =>
        {
            using var command = GalleryDatabase.Command(c,
                "INSERT INTO api_keys(name, scope, prefix, sha256, created, compreface) VALUES (@name, @scope, @prefix, @sha, @created, @compreface) RETURNING id",
                ("name", name), ("scope", scope.Name()), ("prefix", ApiKeySecret.PrefixOf(key)), ("sha", Convert.ToHexStringLower(hash)),
                ("created", created.ToString("O", CultureInfo.InvariantCulture)), ("compreface", compreface));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        });
        return new ApiKey(id, name, scope, ApiKeySecret.PrefixOf(key), hash, created, compreface);
    }

    /// <summary>Deletes a key; false when there was none with that id.</summary>
    public bool Revoke(long id) => _db.Run(What, c =>
    {
        using var command = GalleryDatabase.Command(c, "DELETE FROM api_keys WHERE id = @id", ("id", id));
        return command.ExecuteNonQuery() > 0;
    });

    /// <summary>Closes the PostgreSQL pool (SQLite connections are pooled by the driver).</summary>
    public void Dispose() => _db.Dispose();
}
