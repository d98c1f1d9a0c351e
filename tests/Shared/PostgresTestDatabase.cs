using Npgsql;

namespace Visage.Tests;

/// <summary>
/// A fresh, empty database on the test PostgreSQL server (started by <c>scripts/postgres.sh</c>, which exports its
/// connection string as <c>VISAGE_TEST_POSTGRES</c>), dropped again on dispose. Without the server the tests fail.
/// </summary>
public sealed class PostgresTestDatabase : IDisposable
{
    public const string Variable = "VISAGE_TEST_POSTGRES";

    public PostgresTestDatabase()
    {
        Admin = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } admin
            ? admin
            : throw new InvalidOperationException(
                $"{Variable} is not set: these tests need the throwaway PostgreSQL server that scripts/test.sh starts " +
                "(or run: eval \"$(scripts/postgres.sh start)\")");
        Name = "visage_t_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE DATABASE {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(Admin) { Database = Name }.ToString();
    }

    /// <summary>The server's admin connection string.</summary>
    public string Admin { get; }

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>A connection string for the new database (a gallery location).</summary>
    public string ConnectionString { get; }

    public void Dispose() => Execute($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");

    /// <summary>
    /// Every file of this database in the server's data directory (<c>base/OID/</c>: tables, TOAST tables, indexes, its
    /// catalogs, pg_statistic included), read after an ANALYZE of the database and a CHECKPOINT, so what the server
    /// holds in memory is on disk. Needs the data directory (<c>VISAGE_TEST_POSTGRES_DIR</c>) and root to read it.
    /// </summary>
    public IReadOnlyList<(string Name, byte[] Bytes)> TableFiles()
    {
        var dir = Environment.GetEnvironmentVariable("VISAGE_TEST_POSTGRES_DIR") is { Length: > 0 } d ? d
            : throw new InvalidOperationException("VISAGE_TEST_POSTGRES_DIR is not set (scripts/postgres.sh exports it)");
        long oid;
        using (var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString()))
        {
            c.Open();
            using (var analyze = new NpgsqlCommand("ANALYZE", c)) analyze.ExecuteNonQuery();
            using (var checkpoint = new NpgsqlCommand("CHECKPOINT", c)) checkpoint.ExecuteNonQuery();
            using var query = new NpgsqlCommand("SELECT oid FROM pg_database WHERE datname = current_database()", c);
            oid = Convert.ToInt64(query.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return [.. Directory.GetFiles(Path.Combine(dir, "data", "base", oid.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Admin) { Pooling = false }.ToString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
