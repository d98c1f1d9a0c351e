using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace Visage.Reliability;

/// <summary>Settings of <see cref="LoadHarness"/>.</summary>
/// <param name="Levels">Client counts, run one after another.</param>
/// <param name="PerLevel">How long each level runs.</param>
/// <param name="MaxRequestsPerLevel">Each level also stops after this many requests.</param>
/// <param name="Backend"><c>sqlite</c> or <c>postgres</c> (a server of the harness's own).</param>
/// <param name="SampleEvery">How often the server's memory is read.</param>
public sealed record LoadOptions(int[] Levels, TimeSpan PerLevel, int MaxRequestsPerLevel, string Backend = "sqlite", TimeSpan? SampleEvery = null);

/// <summary>
/// One level: answers per second that were 2xx, latencies of the 2xx answers and of every answer (fast 503s included),
/// and the refusals (a client waits 1 s after a 503, as its Retry-After asks).
/// </summary>
public sealed record LoadLevel(int Clients, int Requests, double Seconds, double Throughput, LatencyStats Answered, LatencyStats Latency,
    Dictionary<string, LatencyStats> ByKind, int Status503, int Status429, int NoAnswer, int Unexpected);

/// <summary>The per-key rate limit under load: a greedy key's accepted requests against what its bucket allows.</summary>
public sealed record RateCheck(int Sent, int Accepted, int Limited, double Seconds, int Allowed);

/// <summary>
/// What <see cref="LoadHarness"/> saw; memory in MB, sampled through the run: start, end, and after the warm-up (the first
/// sixth) its least, most, spread (most over least) and drift (last quarter's median over the first quarter's).
/// </summary>
public sealed record LoadReport(List<LoadLevel> Levels, int? First503AtClients, RateCheck Rate, double RssStartMb, double RssEndMb,
    double RssMinMb, double RssMaxMb, double PeakRssMb, double RssSpreadPercent, double RssDriftPercent, List<double> RssSamplesMb,
    List<string> Problems, double Seconds)
{
    public bool Passed => Problems.Count == 0 && Levels.Count > 0;
}

/// <summary>
/// A bounded load on a real server: recognize (70%), verify against a person (20%) and enroll (10%) from 1 up to 64
/// clients, each with its own recognize key, while one greedy key checks that the per-key rate limit holds. Also the
/// soak: one level for a long time, with the server's memory sampled (after a warm-up sixth, it must not drift by more than 10%).
/// </summary>
public static class LoadHarness
{
    private const int RatePerSecond = 20, RateBurst = 100; // the service's defaults

    public static async Task<LoadReport> RunAsync(LoadOptions options, TextWriter progress)
    {
        var dir = Directory.CreateTempSubdirectory("visage-load-");
        using var cluster = options.Backend == "postgres" ? PostgresCluster.Start() : null;
        var database = cluster?.CreateDatabase("visage_load") ?? Path.Combine(dir.FullName, "gallery.db");
        var problems = new List<string>();
        var log = new RequestLog();
        await using var server = await ServerProcess.StartAsync(database, Path.Combine(dir.FullName, "server.log"),
            ["--rate-limit", $"{RatePerSecond}", "--rate-burst", $"{RateBurst}"]);
        using var admin = server.Client(timeout: TimeSpan.FromSeconds(120));

        // A gallery of 10 people, 2 photos each; queries use their other photos.
        var people = Photo.All().GroupBy(p => p.Person).Where(g => g.Count() >= 3).Take(10).Select(g => g.ToList()).ToList();
        var ids = new List<long>();
        foreach (var photos in people)
        {
            var id = await Api.CreatePersonAsync(admin, photos[0].Person);
            ids.Add(id);
            foreach (var p in photos.Take(2)) await Api.SendAsync(admin, HttpMethod.Post, $"/api/v1/persons/{id}/faces", Api.Jpeg(p.Bytes));
        }
        var clients = new List<HttpClient>();
        for (var c = 0; c < options.Levels.Max(); c++)
            clients.Add(server.Client(await Api.CreateKeyAsync(admin, "recognize", $"load {c}"), TimeSpan.FromSeconds(120)));
        using var greedy = server.Client(await Api.CreateKeyAsync(admin, "recognize", "greedy"));

        using var stopAll = new CancellationTokenSource();
        var rss = new ConcurrentQueue<double>();
        var every = options.SampleEvery ?? TimeSpan.FromSeconds(1);
        var sampler = Task.Run(async () =>
        {
            while (!stopAll.IsCancellationRequested)
            {
                rss.Enqueue(Math.Round(server.RssBytes / 1048576.0, 1));
                try { await Task.Delay(every, stopAll.Token); } catch (OperationCanceledException) { }
            }
        });
        var rateLog = new RequestLog();
        var rateStart = rateLog.Now;
        // Four loops on one key, each pausing 5 ms: several times the key's rate (the answers are cheap 400s: no image).
        var rateLoop = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stopAll.IsCancellationRequested)
            {
                await rateLog.SendAsync(greedy, "greedy", HttpMethod.Post, "/api/v1/recognize", () => JsonContent.Create(new { }));
                await Task.Delay(5);
            }
        })));

        var levels = new List<LoadLevel>();
        foreach (var level in options.Levels)
        {
            var start = log.Now;
            var until = start + options.PerLevel.TotalSeconds;
            var sent = 0;
            await Task.WhenAll(Enumerable.Range(0, level).Select(c => Task.Run(async () =>
            {
                var rng = new Random(c);
                while (log.Now < until && Interlocked.Increment(ref sent) <= options.MaxRequestsPerLevel)
                {
                    var person = rng.Next(people.Count);
                    var query = people[person][2].Bytes;
                    var pick = rng.Next(10);
                    var answer = pick switch
                    {
                        < 7 => await log.SendAsync(clients[c], "recognize", HttpMethod.Post, "/api/v1/recognize", () => Api.Jpeg(query)),
                        < 9 => await log.SendAsync(clients[c], "verify", HttpMethod.Post, $"/api/v1/verify?personId={ids[person]}", () => Api.Jpeg(query)),
                        _ => await log.SendAsync(admin, "enroll", HttpMethod.Post, $"/api/v1/persons/{ids[person]}/faces", () => Api.Jpeg(query)),
                    };
                    if (answer.Status == 503) await Task.Delay(TimeSpan.FromSeconds(1)); // as its Retry-After asks
                }
            })));
            var answers = log.Answers.Where(a => a.Start >= start).ToList();
            var seconds = log.Now - start;
            var result = new LoadLevel(level, answers.Count, Math.Round(seconds, 1),
                Math.Round(answers.Count(a => a.Status is >= 200 and < 300) / seconds, 2),
                LatencyStats.Of(answers.Where(a => a.Status is >= 200 and < 300).Select(a => a.Milliseconds)), LatencyStats.Of(answers.Select(a => a.Milliseconds)),
                answers.GroupBy(a => a.Kind).ToDictionary(g => g.Key, g => LatencyStats.Of(g.Select(a => a.Milliseconds))),
                answers.Count(a => a.Status == 503), answers.Count(a => a.Status == 429), answers.Count(a => a.Status == 0),
                answers.Count(a => a.Status is not (0 or 503 or 429 or 422) and not (>= 200 and < 300))); // 422: a query photo without one clear face
            levels.Add(result);
            progress.WriteLine($"load {level} clients: {result.Throughput}/s, 2xx p50 {result.Answered.P50} ms, p99 {result.Answered.P99} ms, 503: {result.Status503}, rss {rss.Last()} MB");
            if (result.Unexpected > 0 || result.NoAnswer > 0 || result.Status429 > 0)
                problems.Add($"{level} clients: {result.Unexpected} unexpected statuses, {result.NoAnswer} without answer, {result.Status429} rate-limited");
        }
        await stopAll.CancelAsync();
        await Task.WhenAll(sampler, rateLoop);

        var rateAnswers = rateLog.Answers.ToList();
        var rateSeconds = rateLog.Now - rateStart;
        // The bucket refills in whole steps on a timer: one step more than the seconds elapsed may have landed.
        var allowed = RateBurst + RatePerSecond * ((int)Math.Ceiling(rateSeconds) + 1);
        var rate = new RateCheck(rateAnswers.Count, rateAnswers.Count(a => a.Status is not (429 or 0)), rateAnswers.Count(a => a.Status == 429),
            Math.Round(rateSeconds, 1), allowed);
        if (rate.Accepted > rate.Allowed) problems.Add($"the greedy key had {rate.Accepted} requests accepted where its bucket allows {rate.Allowed}");
        if (rate.Sent > rate.Allowed && rate.Limited == 0) problems.Add("the greedy key was never limited");

        var samples = rss.ToList();
        var settled = samples.Skip(samples.Count / 6).ToList(); // after the warm-up (models, thread pool, first buffers)
        var spread = Math.Round((settled.Max() - settled.Min()) / settled.Min() * 100, 1);
        // Flat: the last quarter's median against the first quarter's (a leak is a trend; the GC's sawtooth is not).
        var quarter = Math.Max(1, settled.Count / 4);
        var (early, late) = (Median(settled.Take(quarter)), Median(settled.TakeLast(quarter)));
        var drift = Math.Round((late - early) / early * 100, 1);
        if (options.Levels.Length == 1 && Math.Abs(drift) > 10) problems.Add($"memory drifted {drift}% over the soak (more than 10%)");
        var report = new LoadReport(levels, levels.FirstOrDefault(l => l.Status503 > 0)?.Clients, rate, samples[0], samples[^1],
            settled.Min(), settled.Max(), Math.Round(server.PeakRssBytes / 1048576.0, 1), spread, drift,
            samples.Count <= 200 ? samples : [.. samples.Where((_, i) => i % (samples.Count / 100 + 1) == 0)], problems, Math.Round(log.Now, 1));
        foreach (var c in clients) c.Dispose();
        if (report.Passed) dir.Delete(recursive: true);
        return report;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
