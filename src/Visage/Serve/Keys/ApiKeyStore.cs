using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Visage.Gallery.Storage;

namespace Visage.Serve.Keys;

/// <summary>
/// API keys in the gallery's own database (the SQLite file or the PostgreSQL database), in an <c>api_keys</c> table
/// beside the gallery's, so every process that shares a gallery shares its keys. The SQL is the same on both; only the
/// id column's type differs. Open the gallery store first: it creates or checks the database. A revoked key keeps its
/// row (marked revoked, never accepted again), so the table remembers every key it ever held: the first admin key is
/// made only for a table that never had one. Making and revoking keys is written to the audit log with the change.
/// </summary>
public sealed class ApiKeyStore : IDisposable
{
    private readonly Func<DbConnection> _connect;
    private readonly IDisposable? _pool;
    private readonly string _location;

    private ApiKeyStore(Func<DbConnection> connect, IDisposable? pool, string location, string idColumn, string columnQuery)
    {
        _connect = connect;
        _pool = pool;
        _location = location;
        Execute($"""
            CREATE TABLE IF NOT EXISTS api_keys (
                id      {idColumn},
                name    TEXT NOT NULL,
                scope   TEXT NOT NULL CHECK (scope IN ('admin', 'recognize')),
                prefix  TEXT NOT NULL,
                sha256  TEXT NOT NULL UNIQUE,
                created TEXT NOT NULL
            )
            """);
        // Added later, in place on both databases: the CompreFace service a key is bound to (NULL for a Visage key), and
        // when a key was revoked (NULL while it is valid; issue 23: before, revoking deleted the row).
        AddColumn(columnQuery, "compreface", "TEXT CHECK (compreface IN ('recognition', 'detection', 'verification'))");
        AddColumn(columnQuery, "revoked", "TEXT");
    }

    /// <summary>The key store of the gallery at <paramref name="location"/> (see <see cref="GalleryStores.Open"/>).</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public static ApiKeyStore Open(string location)
    {
        if (GalleryStores.IsPostgres(location))
        {
            var builder = PostgresLocation.Parse(location);
            var source = NpgsqlDataSource.Create(builder);
            return Guard(() => new ApiKeyStore(source.CreateConnection, source, PostgresLocation.Describe(builder),
                "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'api_keys' AND column_name = @column"), source);
        }
        var path = Path.GetFullPath(location);
        // Microsoft.Data.Sqlite retries a busy database for the command timeout.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, DefaultTimeout = 10 }.ToString();
        return Guard(() => new ApiKeyStore(() => new SqliteConnection(connectionString), null, path, "INTEGER PRIMARY KEY AUTOINCREMENT",
            "SELECT count(*) FROM pragma_table_info('api_keys') WHERE name = @column"), null);
    }

    /// <summary>Every valid key, oldest first (with <paramref name="revoked"/>, the revoked ones too).</summary>
    public IReadOnlyList<ApiKey> List(bool revoked = false) => Run(c =>
    {
        using var command = Command(c, "SELECT id, name, scope, prefix, sha256, created, compreface, revoked FROM api_keys" +
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
    public long CountEver() => Run(c =>
    {
        using var command = Command(c, "SELECT count(*) FROM api_keys");
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
        var id = Run(c =>
        {
            using var tx = c.BeginTransaction();
            using var command = Command(c,
                "INSERT INTO api_keys(name, scope, prefix, sha256, created, compreface) VALUES (@name, @scope, @prefix, @sha, @created, @compreface) RETURNING id",
                ("name", name), ("scope", scope.Name()), ("prefix", ApiKeySecret.PrefixOf(key)), ("sha", Convert.ToHexStringLower(hash)),
                ("created", created.ToString("O", CultureInfo.InvariantCulture)), ("compreface", (object?)compreface ?? DBNull.Value));
            command.Transaction = tx;
            var id = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            AuditLog.Append(c, tx, "key.create", id, compreface is null ? $"scope {scope.Name()}" : $"compreface {compreface}");
            tx.Commit();
            return id;
        });
        return new ApiKey(id, name, scope, ApiKeySecret.PrefixOf(key), hash, created, compreface);
    }

    /// <summary>Revokes a key for good; false when there was no valid key with that id.</summary>
    public bool Revoke(long id) => Run(c =>
    {
        using var tx = c.BeginTransaction();
        using var command = Command(c, "UPDATE api_keys SET revoked = @at WHERE id = @id AND revoked IS NULL",
            ("id", id), ("at", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
        command.Transaction = tx;
        var revoked = command.ExecuteNonQuery() > 0;
        if (revoked) AuditLog.Append(c, tx, "key.revoke", id);
        tx.Commit();
        return revoked;
    });

    /// <summary>Closes the PostgreSQL pool (SQLite connections are pooled by the driver).</summary>
    public void Dispose() => _pool?.Dispose();

    private static DateTime Time(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private void AddColumn(string columnQuery, string column, string definition)
    {
        var exists = Run(c =>
        {
            using var command = Command(c, columnQuery, ("column", column));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }) > 0;
        if (!exists) Execute($"ALTER TABLE api_keys ADD COLUMN {column} {definition}");
    }

    private void Execute(string sql) => Run(c =>
    {
        using var command = Command(c, sql);
        return command.ExecuteNonQuery();
    });

    private T Run<T>(Func<DbConnection, T> work)
    {
        try
        {
            using var connection = _connect();
            connection.Open();
            return work(connection);
        }
        catch (Exception e) when (e is DbException or TimeoutException or IOException)
        {
            if (e is NpgsqlException && _pool is NpgsqlDataSource source) source.Clear(); // a lost server leaves dead pooled connections
            throw new GalleryUnavailableException($"the API keys in '{_location}' cannot be used: {e.Message}", e);
        }
    }

    private static DbCommand Command(DbConnection c, string sql, params (string Name, object Value)[] parameters)
    {
        var command = c.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command;
    }

    private static ApiKeyStore Guard(Func<ApiKeyStore> open, IDisposable? pool)
    {
        try { return open(); }
        catch { pool?.Dispose(); throw; }
    }
}
