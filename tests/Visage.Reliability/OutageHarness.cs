using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace Visage.Reliability;

/// <summary>Settings of <see cref="OutageHarness"/>.</summary>
public sealed record OutageOptions(int Rounds = 3, int Clients = 8, int OutageSeconds = 10);

/// <summary>One outage: seconds are measured from the moment PostgreSQL was told to stop (or start).</summary>
public sealed record OutageRound(
    int Round, double HaltSeconds, double First503Seconds, double Slowest503Ms, int Answers503, int Without503RetryAfter, int Other5xx,
    int RecognizedFromMemory, double RecoverySeconds, int ThreadsBefore, int ThreadsPeak, int ThreadsAfter,
    int ConnectionsBefore, int ConnectionsDuring, int ConnectionsAfter, long BackendsAfter, Dictionary<string, int> DatabaseAnswersDuringOutage);

/// <summary>What <see cref="OutageHarness"/> saw.</summary>
public sealed record OutageReport(List<OutageRound> Rounds, List<string> Problems, double Seconds)
{
    public bool Passed => Problems.Count == 0 && Rounds.Count > 0;
}

/// <summary>
/// Database down under load: clients recognize, enroll and list persons while PostgreSQL (a server of the harness's
/// own) is stopped and started again, several times. Every request that needs the database must get a 503 problem with
/// Retry-After within a bounded time while it is down; recognition keeps answering from memory; the server's threads
/// and database connections must not grow from one outage to the next; and it must recover without a restart.
/// </summary>
public static class OutageHarness
{
    // The bound promised for a 503 while the database is down (a refused connection fails at once; the default
    // connect timeout of 15 s is the worst case for a server that hangs instead).
    private const double Max503Seconds = 5;

    public static async Task<OutageReport> RunAsync(OutageOptions options, TextWriter progress)
    {
        var dir = Directory.CreateTempSubdirectory("visage-outage-");
        using var cluster = PostgresCluster.Start();
        var database = cluster.CreateDatabase("visage_outage");
        var problems = new List<string>();
        var rounds = new List<OutageRound>();
        var log = new RequestLog();
        await using var server = await ServerProcess.StartAsync(database, Path.Combine(dir.FullName, "server.log"), ServerProcess.NoRateLimit);
        using var admin = server.Client(timeout: TimeSpan.FromSeconds(30));

        var photos = Photo.All().GroupBy(p => p.Person).First(g => g.Count() >= 3).ToList();
        var known = await Api.CreatePersonAsync(admin, photos[0].Person);
        await Api.SendAsync(admin, HttpMethod.Post, $"/api/v1/persons/{known}/faces", Api.Jpeg(photos[0].Bytes));

        using var stop = new CancellationTokenSource();
        var samples = new ConcurrentQueue<(double At, int Threads, int Connections)>();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                samples.Enqueue((log.Now, server.Threads, server.ConnectionsTo(cluster.Port)));
                await Task.Delay(250);
            }
        });
        var clients = Enumerable.Range(0, options.Clients).Select(c => Task.Run(async () =>
        {
            for (var i = c; !stop.IsCancellationRequested; i++)
            {
                _ = (i % 3) switch
                {
                    0 => await log.SendAsync(admin, "recognize", HttpMethod.Post, "/api/v1/recognize", () => Api.Jpeg(photos[1].Bytes)),
                    1 => await log.SendAsync(admin, "enroll", HttpMethod.Post, $"/api/v1/persons/{known}/faces", () => Api.Jpeg(photos[2].Bytes)),
                    _ => await log.SendAsync(admin, "list", HttpMethod.Get, "/api/v1/persons", () => null),
                };
                await Task.Delay(20); // a client, not a spin loop
            }
        })).ToList();

        for (var round = 1; round <= options.Rounds; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            var before = samples.Last();
            var haltAt = log.Now;
            cluster.Halt();
            var halted = log.Now;
            await Task.Delay(TimeSpan.FromSeconds(options.OutageSeconds));
            var during = samples.Where(s => s.At > halted + 1).ToList();
            var resumeAt = log.Now;
            cluster.Resume();
            var resumed = log.Now;
            await Task.Delay(TimeSpan.FromSeconds(5));
            var after = samples.Last();
            var backends = Convert.ToInt64(PostgresCluster.Execute(cluster.Admin,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'visage_outage'"), System.Globalization.CultureInfo.InvariantCulture);

            var answers = log.Answers.ToList();
            bool NeedsDatabase(Answer a) => a.Kind != "recognize";
            var down = answers.Where(a => NeedsDatabase(a) && a.Start >= halted && a.End <= resumeAt).ToList();
            var first503 = answers.Where(a => a.Status == 503 && a.End >= haltAt).Select(a => a.End - haltAt).DefaultIfEmpty(double.NaN).Min();
            var recovered = answers.Where(a => NeedsDatabase(a) && a.Status is >= 200 and < 300 && a.Start >= resumed)
                .Select(a => a.End - resumeAt).DefaultIfEmpty(double.NaN).Min();
            var result = new OutageRound(round, Math.Round(halted - haltAt, 2), Math.Round(first503, 2),
                Math.Round(down.Select(a => a.Milliseconds).DefaultIfEmpty(0).Max(), 1),
                down.Count(a => a.Status == 503), down.Count(a => a.Status == 503 && !a.RetryAfter),
                down.Count(a => a.Status >= 500 && a.Status != 503),
                answers.Count(a => a.Kind == "recognize" && a.Status == 200 && a.Start >= halted && a.End <= resumeAt),
                Math.Round(recovered, 2), before.Threads, during.Select(s => s.Threads).DefaultIfEmpty(0).Max(), after.Threads,
                before.Connections, during.Select(s => s.Connections).DefaultIfEmpty(0).Max(), after.Connections, backends,
                down.GroupBy(a => $"{a.Kind} {a.Status}").OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()));
            rounds.Add(result);
            progress.WriteLine($"outage round {round}: {result}");

            if (down.Count == 0 || result.Answers503 != down.Count) problems.Add($"round {round}: {down.Count - result.Answers503} of {down.Count} database requests during the outage were not 503");
            if (result.Without503RetryAfter > 0) problems.Add($"round {round}: {result.Without503RetryAfter} 503s without Retry-After");
            if (!(result.First503Seconds <= Max503Seconds) || result.Slowest503Ms > Max503Seconds * 1000)
                problems.Add($"round {round}: 503 after {result.First503Seconds} s, slowest {result.Slowest503Ms} ms (bound {Max503Seconds} s)");
            if (result.RecognizedFromMemory == 0) problems.Add($"round {round}: recognition did not answer from memory");
            if (double.IsNaN(result.RecoverySeconds)) problems.Add($"round {round}: no write succeeded within 5 s of the database's return");
            // Leaks show as growth from one outage to the next (pools and thread pool settle after the first).
            var first = rounds[0];
            if (round > 1 && (result.ThreadsAfter > first.ThreadsAfter + 8 || result.BackendsAfter > first.BackendsAfter + 3
                || result.ConnectionsAfter > first.ConnectionsAfter + 3))
                problems.Add($"round {round}: threads {result.ThreadsAfter}, connections {result.ConnectionsAfter}, backends {result.BackendsAfter} " +
                    $"grew from round 1's {first.ThreadsAfter}, {first.ConnectionsAfter}, {first.BackendsAfter}");
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        await sampler;
        if (!server.HasExited && (await Api.SendAsync(admin, HttpMethod.Get, "/api/v1/persons")).Status != 200)
            problems.Add("the service did not answer after the last outage");
        var report = new OutageReport(rounds, problems, Math.Round(log.Now, 1));
        if (report.Passed) dir.Delete(recursive: true);
        return report;
    }
}
