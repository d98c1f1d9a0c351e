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

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Admin) { Pooling = false }.ToString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
