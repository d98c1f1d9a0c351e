using System.Globalization;
using Visage.Gallery.Storage;

namespace Visage.Serve.Keys;

/// <summary>
/// API keys in the gallery's own database (<see cref="GalleryDatabase"/>), in an <c>api_keys</c> table beside the
/// gallery's, so every process that shares a gallery shares its keys. Open the gallery store first: it creates or
/// checks the database. A revoked key keeps its row (marked revoked, never accepted again), so the table remembers
/// every key it ever held: the first admin key is made only for a table that never had one. Making and revoking keys
/// is written to the audit log with the change.
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
        // Added later, in place on both databases: the CompreFace service a key is bound to (NULL for a Visage key), and
        // when a key was revoked (NULL while it is valid; issue 23: before, revoking deleted the row).
        AddColumn("compreface", "TEXT CHECK (compreface IN ('recognition', 'detection', 'verification'))");
        AddColumn("revoked", "TEXT");
    }

    /// <summary>The key store of the gallery at <paramref name="location"/> (see <see cref="GalleryStores.Open"/>).</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public static ApiKeyStore Open(string location) => GalleryDatabase.Open(location, db => new ApiKeyStore(db));

    /// <summary>Every valid key, oldest first (with <paramref name="revoked"/>, the revoked ones too).</summary>
    public IReadOnlyList<ApiKey> List(bool revoked = false) => _db.Run(What, c =>
    {
        using var command = GalleryDatabase.Command(c, "SELECT id, name, scope, prefix, sha256, created, compreface, revoked FROM api_keys" +
            (revoked ? "" : " WHERE revoked IS NULL") + " ORDER BY id");
        using var reader = command.ExecuteReader();
        var keys = new List<ApiKey>();
        while (reader.Read())
        {
            keys.Add(new ApiKey(reader.GetInt64(0), reader.GetString(1), ApiKeySecret.ParseScope(reader.GetString(2))!.Value, reader.GetString(3),
                Convert.FromHexString(reader.GetString(4)),
                Time(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetString(6))
            { RevokedUtc = reader.IsDBNull(7) ? null : Time(reader.GetString(7)) });
        }
        return (IReadOnlyList<ApiKey>)keys;
    });

    /// <summary>How many keys the table ever held (revoked ones included).</summary>
    public long CountEver() => _db.Run(What, c =>
    {
        using var command = GalleryDatabase.Command(c, "SELECT count(*) FROM api_keys");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    });

    /// <summary>
    /// Stores <paramref name="key"/> (hashed); returns the stored record, or the existing one when that key is already
    /// stored (a revoked key stays revoked).
    /// </summary>
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
        if (List(revoked: true).FirstOrDefault(k => k.Sha256.AsSpan().SequenceEqual(hash)) is { } existing) return existing;
        var created = DateTime.UtcNow;
        var id = _db.Run(What, c =>
        {
            using var tx = c.BeginTransaction();
            using var command = GalleryDatabase.Command(c,
                "INSERT INTO api_keys(name, scope, prefix, sha256, created, compreface) VALUES (@name, @scope, @prefix, @sha, @created, @compreface) RETURNING id",
                ("name", name), ("scope", scope.Name()), ("prefix", ApiKeySecret.PrefixOf(key)), ("sha", Convert.ToHexStringLower(hash)),
                ("created", created.ToString("O", CultureInfo.InvariantCulture)), ("compreface", compreface));
            command.Transaction = tx;
            var id = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            AuditLog.Append(c, tx, "key.create", id, compreface is null ? $"scope {scope.Name()}" : $"compreface {compreface}");
            tx.Commit();
            return id;
        });
        return new ApiKey(id, name, scope, ApiKeySecret.PrefixOf(key), hash, created, compreface);
    }

    /// <summary>Revokes a key for good; false when there was no valid key with that id.</summary>
    public bool Revoke(long id) => _db.Run(What, c =>
    {
        using var tx = c.BeginTransaction();
        using var command = GalleryDatabase.Command(c, "UPDATE api_keys SET revoked = @at WHERE id = @id AND revoked IS NULL",
            ("id", id), ("at", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
        command.Transaction = tx;
        var revoked = command.ExecuteNonQuery() > 0;
        if (revoked) AuditLog.Append(c, tx, "key.revoke", id);
        tx.Commit();
        return revoked;
    });

    /// <summary>Closes the PostgreSQL pool (SQLite connections are pooled by the driver).</summary>
    public void Dispose() => _db.Dispose();

    private static DateTime Time(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private void AddColumn(string column, string definition)
    {
        if (!_db.HasColumn(What, "api_keys", column)) _db.Execute(What, $"ALTER TABLE api_keys ADD COLUMN {column} {definition}");
    }
}
