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
    }

    /// <summary>The key store of the gallery at <paramref name="location"/> (see <see cref="GalleryStores.Open"/>).</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public static ApiKeyStore Open(string location) => GalleryDatabase.Open(location, db => new ApiKeyStore(db));

    /// <summary>Every key, oldest first.</summary>
    public IReadOnlyList<ApiKey> List() => _db.Run(What, c =>
    {
        using var command = GalleryDatabase.Command(c, "SELECT id, name, scope, prefix, sha256, created FROM api_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var keys = new List<ApiKey>();
        while (reader.Read())
        {
            keys.Add(new ApiKey(reader.GetInt64(0), reader.GetString(1), ApiKeySecret.ParseScope(reader.GetString(2))!.Value, reader.GetString(3),
                Convert.FromHexString(reader.GetString(4)),
                DateTime.Parse(reader.GetString(5), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }
        return (IReadOnlyList<ApiKey>)keys;
    });

    /// <summary>Stores <paramref name="key"/> (hashed); returns the stored record, or the existing one when that key is already stored.</summary>
    public ApiKey Add(string name, KeyScope scope, string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var hash = ApiKeySecret.Hash(key);
        if (List().FirstOrDefault(k => k.Sha256.AsSpan().SequenceEqual(hash)) is { } existing) return existing;
        var created = DateTime.UtcNow;
        var id = _db.Run(What, c =>
        {
            using var command = GalleryDatabase.Command(c,
                "INSERT INTO api_keys(name, scope, prefix, sha256, created) VALUES (@name, @scope, @prefix, @sha, @created) RETURNING id",
                ("name", name), ("scope", scope.Name()), ("prefix", ApiKeySecret.PrefixOf(key)), ("sha", Convert.ToHexStringLower(hash)),
                ("created", created.ToString("O", CultureInfo.InvariantCulture)));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        });
        return new ApiKey(id, name, scope, ApiKeySecret.PrefixOf(key), hash, created);
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
