using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;

namespace Visage.Gallery.Storage;

/// <summary>
/// Completes erasures on PostgreSQL. A deleted row stays in its table's file as a dead row version, and a plain
/// <c>VACUUM</c> frees its space without overwriting it (measured: a deleted row at a page's free end keeps its bytes);
/// <c>VACUUM FULL</c> writes the live rows (and the TOAST table and indexes) into new files and truncates the old
/// ones at commit. Deletions are recorded in <c>erasure_pending</c> by statement triggers (so deletions made by any
/// process, or by hand, count); this rewrites each table with pending erasures, one process at a time (an advisory
/// lock), and clears the entries it covered.
/// </summary>
/// <remarks>
/// A rewrite takes an exclusive lock on the table for its duration (recognition answers from memory meanwhile; gallery
/// writes and reads of that table wait): it waits at most <see cref="LockTimeout"/> for the lock, and a table is not
/// rewritten again within ten times its last rewrite's duration (at most a tenth of the time goes to rewriting).
/// A dead row that a transaction older than the deletion may still read is copied by <c>VACUUM FULL</c>, not dropped:
/// its count is read from the command's report, and the table stays pending until a rewrite drops everything.
/// </remarks>
internal sealed partial class PostgresErasure
{
    /// <summary>"VISE" in ASCII: one eraser at a time among the processes sharing the database.</summary>
    private const long EraseLock = 0x56495345;

    /// <summary>How long a rewrite waits for its table's lock before trying again later.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(5);

    // The tables erasure_pending may name; never anything else is put into SQL.
    private static readonly HashSet<string> Tables = ["persons", "faces", "rejections", "sightings", "pg_statistic"];

    private readonly Dictionary<string, (DateTime End, TimeSpan Took)> _lastRewrite = [];

    /// <summary>Rewrites each table whose oldest pending erasure is at least <paramref name="settle"/> old.</summary>
    public ErasureReport Complete(NpgsqlConnection c, TimeSpan settle)
    {
        if (!(bool)Scalar(c, $"SELECT pg_try_advisory_lock({EraseLock})")!) return new ErasureReport([], [], OtherProcess: true);
        try
        {
            var compacted = new List<string>();
            var waiting = new List<string>();
            var notPermitted = new List<string>();
            foreach (var (table, through, oldest) in Pending(c))
            {
                if (!Tables.Contains(table))
                {
                    Execute(c, "DELETE FROM erasure_pending WHERE relation = @table", ("@table", table)); // not ours: written by hand
                    continue;
                }
                var outcome = Due(table, oldest, settle) ? Rewrite(c, table) : Outcome.Waiting;
                if (outcome is Outcome.Waiting)
                {
                    waiting.Add(table);
                    continue;
                }
                Execute(c, "DELETE FROM erasure_pending WHERE relation = @table AND id <= @through", ("@table", table), ("@through", through));
                (outcome is Outcome.Rewritten ? compacted : notPermitted).Add(table);
            }
            return new ErasureReport(compacted, waiting) { NotPermitted = notPermitted };
        }
        finally
        {
            Execute(c, $"SELECT pg_advisory_unlock({EraseLock})");
        }
    }

    private enum Outcome { Rewritten, Waiting, NotPermitted }

    private static List<(string Table, long Through, DateTime Oldest)> Pending(NpgsqlConnection c)
    {
        using var command = new NpgsqlCommand("SELECT relation, max(id), min(at), now() FROM erasure_pending GROUP BY relation ORDER BY relation", c);
        using var reader = command.ExecuteReader();
        var pending = new List<(string, long, DateTime)>();
        while (reader.Read())
            pending.Add((reader.GetString(0), reader.GetInt64(1), DateTime.UtcNow - (reader.GetDateTime(3) - reader.GetDateTime(2)))); // age on the server's clock
        return pending;
    }

    private bool Due(string table, DateTime oldestUtc, TimeSpan settle)
    {
        var now = DateTime.UtcNow;
        if (now - oldestUtc < settle) return false;
        return !_lastRewrite.TryGetValue(table, out var last) || settle == TimeSpan.Zero || now - last.End >= 10 * last.Took;
    }

    /// <summary>
    /// VACUUM FULL of one table: rewritten when no deleted row survived it; waiting when it could not get the lock or a
    /// deleted row is still visible to an older transaction (and was copied); not permitted when the table is not ours.
    /// </summary>
    private Outcome Rewrite(NpgsqlConnection c, string table)
    {
        var survivors = 0L;
        var skipped = false;
        void Notice(object? sender, NpgsqlNoticeEventArgs e)
        {
            if (e.Notice.Severity is "WARNING") skipped = true; // "permission denied to vacuum ..., skipping it"
            else if (e.Notice.Detail is { } detail && RecentlyDead(detail) is { } n) survivors += n;
        }
        c.Notice += Notice;
        var clock = Stopwatch.StartNew();
        try
        {
            Execute(c, $"SET lock_timeout = {(int)LockTimeout.TotalMilliseconds}");
            Execute(c, $"VACUUM (FULL, VERBOSE) {table}");
        }
        catch (PostgresException e) when (e.SqlState is "55P03" or "57014") // lock_not_available, query_canceled
        {
            return Outcome.Waiting;
        }
        finally
        {
            c.Notice -= Notice;
            Execute(c, "RESET lock_timeout");
        }
        _lastRewrite[table] = (DateTime.UtcNow, clock.Elapsed);
        return skipped ? Outcome.NotPermitted : survivors == 0 ? Outcome.Rewritten : Outcome.Waiting;
    }

    // "N dead row versions cannot be removed yet." (the first number of the detail's first line, in any language)
    private static long? RecentlyDead(string detail) =>
        FirstNumber().Match(detail.Split('\n')[0]) is { Success: true } m ? long.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"\d+")]
    private static partial Regex FirstNumber();

    private static object? Scalar(NpgsqlConnection c, string sql)
    {
        using var command = new NpgsqlCommand(sql, c);
        return command.ExecuteScalar();
    }

    private static void Execute(NpgsqlConnection c, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = new NpgsqlCommand(sql, c);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }
}
