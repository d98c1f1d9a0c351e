using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Serve.Keys;

/// <summary>
/// API keys in the gallery's own database (the SQLite file or the PostgreSQL database), in an <c>api_keys</c> table
/// beside the gallery's, so every process that shares a gallery shares its keys. The SQL is the same on both; only the
/// id column's type differs. Open the gallery store first: it creates or checks the database.
/// </summary>
public sealed class ApiKeyStore : IDisposable
{
    private readonly Func<DbConnection> _connect;
    private readonly IDisposable? _pool;
    private readonly string _location;

    private ApiKeyStore(Func<DbConnection> connect, IDisposable? pool, string location, string idColumn)
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
                "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"), source);
        }
        var path = Path.GetFullPath(location);
        // Microsoft.Data.Sqlite retries a busy database for the command timeout.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, DefaultTimeout = 10 }.ToString();
        return Guard(() => new ApiKeyStore(() => new SqliteConnection(connectionString), null, path, "INTEGER PRIMARY KEY AUTOINCREMENT"), null);
    }

    /// <summary>Every key, oldest first.</summary>
    public IReadOnlyList<ApiKey> List() => Run(c =>
    {
        using var command = Command(c, "SELECT id, name, scope, prefix, sha256, created FROM api_keys ORDER BY id");
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
        var id = Run(c =>
        {
            using var command = Command(c,
                "INSERT INTO api_keys(name, scope, prefix, sha256, created) VALUES (@name, @scope, @prefix, @sha, @created) RETURNING id",
                ("name", name), ("scope", scope.Name()), ("prefix", ApiKeySecret.PrefixOf(key)), ("sha", Convert.ToHexStringLower(hash)),
                ("created", created.ToString("O", CultureInfo.InvariantCulture)));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        });
        return new ApiKey(id, name, scope, ApiKeySecret.PrefixOf(key), hash, created);
    }

    /// <summary>Deletes a key; false when there was none with that id.</summary>
    public bool Revoke(long id) => Run(c =>
    {
        using var command = Command(c, "DELETE FROM api_keys WHERE id = @id", ("id", id));
        return command.ExecuteNonQuery() > 0;
    });

    /// <summary>Closes the PostgreSQL pool (SQLite connections are pooled by the driver).</summary>
    public void Dispose() => _pool?.Dispose();

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
