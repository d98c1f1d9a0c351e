using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Visage.Gallery.Storage;

namespace Visage.Serve;

/// <summary>
/// Connections to the gallery's own database (the SQLite file or the PostgreSQL database) for the service's tables
/// kept beside the gallery's (API keys, cameras), so every process that shares a gallery shares them. The SQL is the
/// same on both; only the id column's type differs (<see cref="IdColumn"/>). Open the gallery store first: it creates
/// or checks the database.
/// </summary>
public sealed class GalleryDatabase : IDisposable
{
    private readonly Func<DbConnection> _connect;
    private readonly NpgsqlDataSource? _pool;

    private GalleryDatabase(Func<DbConnection> connect, NpgsqlDataSource? pool, string location, string idColumn)
    {
        _connect = connect;
        _pool = pool;
        Location = location;
        IdColumn = idColumn;
    }

    /// <summary>Where the database is, for messages (no password).</summary>
    public string Location { get; }

    /// <summary>The column definition of an id that is never reused.</summary>
    public string IdColumn { get; }

    /// <summary>The database of the gallery at <paramref name="location"/> (see <see cref="GalleryStores.Open"/>).</summary>
    public static GalleryDatabase Open(string location)
    {
        if (GalleryStores.IsPostgres(location))
        {
            var builder = PostgresLocation.Parse(location);
            var source = NpgsqlDataSource.Create(builder);
            return new GalleryDatabase(source.CreateConnection, source, PostgresLocation.Describe(builder), "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
        }
        var path = Path.GetFullPath(location);
        // Microsoft.Data.Sqlite retries a busy database for the command timeout.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, DefaultTimeout = 10 }.ToString();
        return new GalleryDatabase(() => new SqliteConnection(connectionString), null, path, "INTEGER PRIMARY KEY AUTOINCREMENT");
    }

    /// <summary>A store over the database at <paramref name="location"/>; the database is closed again when <paramref name="make"/> fails.</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public static T Open<T>(string location, Func<GalleryDatabase, T> make)
    {
        var db = Open(location);
        try { return make(db); }
        catch { db.Dispose(); throw; }
    }

    /// <summary>Runs <paramref name="work"/> on an open connection.</summary>
    /// <param name="what">What the tables hold, for the error message (<c>the API keys</c>).</param>
    /// <param name="work">The statements.</param>
    /// <exception cref="GalleryUnavailableException">The database cannot be used.</exception>
    public T Run<T>(string what, Func<DbConnection, T> work)
    {
        try
        {
            using var connection = _connect();
            connection.Open();
            return work(connection);
        }
        catch (Exception e) when (e is DbException or TimeoutException or IOException)
        {
            if (e is NpgsqlException) _pool?.Clear(); // a lost server leaves dead pooled connections
            throw new GalleryUnavailableException($"{what} in '{Location}' cannot be used: {e.Message}", e);
        }
    }

    /// <summary>Runs one statement that returns nothing.</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be used.</exception>
    public int Execute(string what, string sql) => Run(what, c =>
    {
        using var command = Command(c, sql);
        return command.ExecuteNonQuery();
    });

    /// <summary>Whether <paramref name="table"/> has <paramref name="column"/> (for columns added to an existing table).</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be used.</exception>
    public bool HasColumn(string what, string table, string column) => Run(what, c =>
    {
        using var command = _pool is null
            ? Command(c, "SELECT count(*) FROM pragma_table_info(@table) WHERE name = @column", ("table", table), ("column", column))
            : Command(c, "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table AND column_name = @column",
                ("table", table), ("column", column));
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    });

    /// <summary>A command with <c>@name</c> parameters.</summary>
    public static DbCommand Command(DbConnection c, string sql, params (string Name, object? Value)[] parameters) =>
        SqlGalleryStore.Command(c, null, sql, parameters);

    /// <summary>Closes the PostgreSQL pool (SQLite connections are pooled by the driver).</summary>
    public void Dispose() => _pool?.Dispose();
}
