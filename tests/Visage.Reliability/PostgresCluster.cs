using System.Diagnostics;
using Npgsql;

namespace Visage.Reliability;

/// <summary>
/// A throwaway PostgreSQL server of the harness's own (scripts/postgres.sh), so a harness can stop and start it
/// without disturbing any other test; deleted on dispose.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private PostgresCluster(string admin, string dir)
    {
        Admin = admin;
        Directory = dir;
        Port = new NpgsqlConnectionStringBuilder(admin).Port;
    }

    /// <summary>A superuser connection string to the <c>postgres</c> database.</summary>
    public string Admin { get; }

    public string Directory { get; }

    public int Port { get; }

    public static PostgresCluster Start()
    {
        var exports = Script("start");
        string Value(string name) => exports.Split('\n').First(l => l.StartsWith($"export {name}=", StringComparison.Ordinal))
            .Split('=', 2)[1].Trim().Trim('\'');
        return new PostgresCluster(Value("VISAGE_TEST_POSTGRES"), Value("VISAGE_TEST_POSTGRES_DIR"));
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase(string name)
    {
        Execute(Admin, $"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(Admin) { Database = name }.ToString();
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended), keeping its files.</summary>
    public void Halt()
    {
        NpgsqlConnection.ClearAllPools();
        Script("halt", Directory);
    }

    /// <summary>Starts the halted server again on the same port.</summary>
    public void Resume() => Script("resume", Directory);

    /// <summary>Runs a statement as the superuser on <paramref name="connectionString"/>, returning the first value.</summary>
    public static object? Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    public void Dispose() => Script("stop", Directory);

    private static string Script(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "postgres.sh"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"postgres.sh {string.Join(' ', args)}: {stderr.Result}");
        return stdout;
    }
}
