using System.Collections.Concurrent;
using System.Diagnostics;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Reliability;

/// <summary>Settings of <see cref="CrashHarness"/>.</summary>
/// <param name="Backend"><c>sqlite</c> or <c>postgres</c> (a server of the harness's own).</param>
/// <param name="Rounds">How many times the server is killed.</param>
/// <param name="Clients">Clients enrolling at once.</param>
/// <param name="Seed">Seeds the photo order and the moments of the kills.</param>
/// <param name="MaxKillSeconds">Each kill comes at a random moment up to this long after the clients start.</param>
public sealed record CrashOptions(string Backend, int Rounds = 20, int Clients = 4, int Seed = 1, double MaxKillSeconds = 3);

/// <summary>What <see cref="CrashHarness"/> saw.</summary>
public sealed record CrashReport(
    string Backend, int Rounds, int Acknowledged, int AttemptsCutShort, int Lost, int Unrecognized, int IndexMismatches,
    int IntegrityFailures, double MeanRestartSeconds, double MaxRestartSeconds, double Seconds, List<string> Problems)
{
    public bool Passed => Problems.Count == 0 && Rounds > 0 && Acknowledged > 0;
}

/// <summary>
/// Crash safety: while clients enroll concurrently, the server is killed with SIGKILL at a random moment, again and
/// again. After each restart every enrollment that was answered with a 2xx must be in the database and recognized
/// (the photo recognized as that very face), the index must hold what the database holds, and the database must pass
/// its integrity checks.
/// </summary>
public static class CrashHarness
{
    public static async Task<CrashReport> RunAsync(CrashOptions options, TextWriter progress)
    {
        var clock = Stopwatch.StartNew();
        var dir = Directory.CreateTempSubdirectory("visage-crash-");
        using var cluster = options.Backend == "postgres" ? PostgresCluster.Start() : null;
        var database = cluster?.CreateDatabase("visage_crash") ?? Path.Combine(dir.FullName, "gallery.db");
        var log = Path.Combine(dir.FullName, "server.log");
        var rng = new Random(options.Seed);
        var problems = new List<string>();
        var acked = new ConcurrentDictionary<long, (long Person, Photo Photo)>();
        int cutShort = 0, unrecognized = 0, mismatches = 0, integrity = 0;
        var restarts = new List<double>();

        var server = await ServerProcess.StartAsync(database, log, ServerProcess.NoRateLimit);
        var persons = new Dictionary<string, long>();
        using (var admin = server.Client())
            foreach (var name in Photo.All().Select(p => p.Person).Distinct())
                persons[name] = await Api.CreatePersonAsync(admin, name);
        var modelId = await ReadModelIdAsync(server);
        // Each photo in turn, round after round; once all are used the next pass enrolls them again (answered 200,
        // the same face): a photo whose answer a kill cut short is thus tried again.
        var photos = Photo.All().OrderBy(_ => rng.Next()).ToList();
        var next = -1;

        for (var round = 1; round <= options.Rounds; round++)
        {
            var thisRound = new ConcurrentBag<long>();
            using var killed = new CancellationTokenSource();
            using var admin = server.Client(timeout: TimeSpan.FromSeconds(30));
            var clients = Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
            {
                while (!killed.IsCancellationRequested)
                {
                    var photo = photos[Interlocked.Increment(ref next) % photos.Count];
                    try
                    {
                        var (status, body) = await Api.SendAsync(admin, HttpMethod.Post, $"/api/v1/persons/{persons[photo.Person]}/faces", Api.Jpeg(photo.Bytes));
                        if (status is 200 or 201)
                        {
                            var faceId = body!.Value.GetProperty("id").GetInt64();
                            acked[faceId] = (persons[photo.Person], photo);
                            thisRound.Add(faceId);
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref cutShort); // no answer: it may or may not have been committed
                    }
                }
            })).ToList();

            await Task.Delay(TimeSpan.FromSeconds(1 + rng.NextDouble() * (options.MaxKillSeconds - 1)));
            await killed.CancelAsync(); // no new requests; those in flight are cut by the kill
            server.Kill();
            await Task.WhenAll(clients);

            var restart = Stopwatch.StartNew();
            server = await ServerProcess.StartAsync(database, log, ServerProcess.NoRateLimit);
            restarts.Add(restart.Elapsed.TotalSeconds);

            var broken = GalleryIntegrity.Check(database);
            if (broken.Count > 0)
            {
                integrity++;
                problems.Add($"round {round}: {string.Join("; ", broken)}");
            }
            using (var store = GalleryStores.Open(database))
            {
                foreach (var (faceId, (person, photo)) in acked)
                    if (store.GetFace(faceId) is not { } face || face.PersonId != person)
                        problems.Add($"round {round}: acknowledged face {faceId} ({photo.Path}) is missing");
                var faces = store.Count(modelId).Faces;
                using var client = server.Client();
                var indexed = await server.MetricAsync(client, "visage_gallery_faces");
                if (indexed != faces)
                {
                    mismatches++;
                    problems.Add($"round {round}: the index holds {indexed} faces, the database {faces}");
                }
            }
            using (var client = server.Client())
            {
                foreach (var faceId in thisRound.Distinct())
                {
                    var (person, photo) = acked[faceId];
                    var (status, personId, matched, _) = await Api.RecognizeAsync(client, photo.Bytes);
                    if (status == 200 && personId == person && matched == faceId) continue;
                    unrecognized++;
                    problems.Add($"round {round}: face {faceId} ({photo.Path}) recognized as person {personId} face {matched} ({status})");
                }
            }
            progress.WriteLine($"crash {options.Backend} round {round}: {thisRound.Count} acknowledged this round, {acked.Count} in all, restart {restarts[^1]:0.0} s");
        }
        await server.DisposeAsync();
        var lost = problems.Count(p => p.Contains("is missing", StringComparison.Ordinal));
        var report = new CrashReport(options.Backend, options.Rounds, acked.Count, cutShort, lost, unrecognized, mismatches, integrity,
            Math.Round(restarts.Average(), 2), Math.Round(restarts.Max(), 2), Math.Round(clock.Elapsed.TotalSeconds, 1), problems);
        if (report.Passed) dir.Delete(recursive: true);
        else problems.Add($"server log and database kept in {dir.FullName}");
        return report;
    }

    private static async Task<string> ReadModelIdAsync(ServerProcess server)
    {
        using var client = server.Client(null);
        var (_, body) = await Api.SendAsync(client, HttpMethod.Get, "/ready");
        return body!.Value.GetProperty("modelId").GetString()!;
    }
}
