using System.Diagnostics;
using System.Net;
using Npgsql;

namespace Visage.Reliability;

/// <summary>Settings of <see cref="ReplicaHarness"/>.</summary>
public sealed record ReplicaOptions(int Replicas = 3, int Rounds = 10, bool Nginx = false);

/// <summary>Through nginx: requests answered by each replica, and whether everything was answered right, before and after one replica was killed.</summary>
public sealed record NginxResult(int Requests, Dictionary<string, int> ByReplica, int Wrong, int AfterKillRequests, int AfterKillWrong);

/// <summary>What <see cref="ReplicaHarness"/> saw: milliseconds from the 2xx of a write on one replica until every other replica's index shows it.</summary>
public sealed record ReplicaReport(int Replicas, int Rounds, LatencyStats AddVisibleMs, LatencyStats RemoveVisibleMs, int WrongAnswers,
    int MissedWhileDisconnected, double ResyncAfterReconnectSeconds, NginxResult? Nginx, List<string> Problems, double Seconds)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// Several <c>visage serve</c> processes sharing one PostgreSQL (a server of the harness's own): an enrollment or a
/// deletion through one replica must reach every other replica's index within one second (LISTEN/NOTIFY), shown both by
/// the index's size and by recognition. One replica reaches the database through a relay the harness cuts: it misses
/// the writes made meanwhile, and must catch up by itself once the relay is back. Optionally nginx, with the documented
/// configuration, in front of two replicas.
/// </summary>
public static class ReplicaHarness
{
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(1);

    public static async Task<ReplicaReport> RunAsync(ReplicaOptions options, TextWriter progress)
    {
        if (options.Replicas < 2) throw new ArgumentOutOfRangeException(nameof(options), "at least 2 replicas");
        var clock = Stopwatch.StartNew();
        var dir = Directory.CreateTempSubdirectory("visage-replicas-");
        using var cluster = PostgresCluster.Start();
        var database = cluster.CreateDatabase("visage_replicas");
        await using var relay = new TcpProxy(new IPEndPoint(IPAddress.Loopback, cluster.Port));
        var relayed = new NpgsqlConnectionStringBuilder(database) { Port = relay.Port }.ToString();
        var problems = new List<string>();
        var replicas = new List<ServerProcess>();
        for (var i = 0; i < options.Replicas; i++) // the last one reaches the database through the relay
            replicas.Add(await ServerProcess.StartAsync(i == options.Replicas - 1 ? relayed : database, Path.Combine(dir.FullName, $"replica{i}.log")));
        var clients = replicas.Select(r => r.Client()).ToList();
        var people = Photo.All().GroupBy(p => p.Person).Where(g => g.Count() >= 2).Select(g => g.ToList()).ToList();
        var added = new List<double>();
        var removed = new List<double>();
        var wrong = 0;
        var faces = 0;
        var enrolled = new List<(long Person, Photo Photo)>();

        async Task<bool> EveryIndexShows(int count, int except, List<double> latencies, Stopwatch since, string what)
        {
            var ok = true;
            await Task.WhenAll(replicas.Select(async (r, i) =>
            {
                if (i == except) return;
                while (await r.MetricAsync(clients[i], "visage_gallery_faces") != count)
                {
                    if (since.Elapsed > TimeSpan.FromSeconds(10)) { ok = false; return; }
                    await Task.Delay(5);
                }
                lock (latencies) latencies.Add(since.Elapsed.TotalMilliseconds);
            }));
            if (!ok) problems.Add($"{what}: not every replica showed {count} faces within 10 s");
            return ok;
        }

        for (var round = 0; round < options.Rounds; round++)
        {
            var writer = round % replicas.Count;
            var photos = people[round % people.Count];
            var person = await Api.CreatePersonAsync(clients[writer], $"{photos[0].Person} #{round}");
            // The first photo showing exactly one face; recognition then asks with that very photo.
            Photo? photo = null;
            Stopwatch acked = new();
            foreach (var candidate in photos)
            {
                var (status, _) = await Api.SendAsync(clients[writer], HttpMethod.Post, $"/api/v1/persons/{person}/faces", Api.Jpeg(candidate.Bytes));
                acked.Restart();
                if (status != 201) continue;
                photo = candidate;
                break;
            }
            if (photo is null) { problems.Add($"round {round}: no photo of {photos[0].Person} could be enrolled"); continue; }
            faces++;
            enrolled.Add((person, photo));
            if (await EveryIndexShows(faces, writer, added, acked, $"round {round} enrollment"))
                wrong += await CountWrong(clients, writer, photo.Bytes, p => p == person);

            if (round % 2 == 1) // delete the previous person through yet another replica
            {
                var (gone, gonePhoto) = enrolled[^2];
                enrolled.RemoveAt(enrolled.Count - 2);
                var deleter = (round + 1) % replicas.Count;
                var (deleted, _) = await Api.SendAsync(clients[deleter], HttpMethod.Delete, $"/api/v1/persons/{gone}");
                var deletedAt = Stopwatch.StartNew();
                faces--;
                if (deleted != 204) problems.Add($"round {round}: deletion answered {deleted}");
                else if (await EveryIndexShows(faces, deleter, removed, deletedAt, $"round {round} deletion"))
                    wrong += await CountWrong(clients, deleter, gonePhoto.Bytes, p => p != gone);
            }
            progress.WriteLine($"replicas round {round}: {faces} faces, last add seen in {added.LastOrDefault():0} ms");
        }

        // The relayed replica loses the database, misses writes, and must catch up by itself once it is back.
        var last = replicas.Count - 1;
        relay.Cut();
        var missed = 0;
        var cutAt = Stopwatch.StartNew();
        while (await replicas[last].MetricAsync(clients[last], "visage_gallery_listening") != 0 && cutAt.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(50);
        var late = await Api.CreatePersonAsync(clients[0], "Written while a replica was away");
        Photo? lastMissed = null;
        foreach (var photo in people[^1])
        {
            if ((await Api.SendAsync(clients[0], HttpMethod.Post, $"/api/v1/persons/{late}/faces", Api.Jpeg(photo.Bytes))).Status != 201) continue;
            (faces, missed, lastMissed) = (faces + 1, missed + 1, photo);
            if (missed == 2) break;
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        if (await replicas[last].MetricAsync(clients[last], "visage_gallery_faces") == faces)
            problems.Add("the cut-off replica saw the writes while cut off: the relay did not cut it off");
        relay.Restore();
        var restored = Stopwatch.StartNew();
        var caughtUp = new List<double>();
        if (await EveryIndexShows(faces, -1, caughtUp, restored, "catching up after the outage"))
            wrong += await CountWrong([clients[last]], -1, lastMissed!.Bytes, p => p == late);
        var resync = Math.Round(restored.Elapsed.TotalSeconds, 2);

        NginxResult? nginx = null;
        if (options.Nginx) nginx = await ThroughNginx(replicas, enrolled[^1], problems);

        foreach (var c in clients) c.Dispose();
        foreach (var r in replicas) await r.DisposeAsync();
        var addStats = LatencyStats.Of(added);
        var removeStats = LatencyStats.Of(removed);
        if (addStats.Max > Promise.TotalMilliseconds || removeStats.Max > Promise.TotalMilliseconds)
            problems.Add($"a write took more than {Promise.TotalMilliseconds} ms to reach another replica (add max {addStats.Max} ms, remove max {removeStats.Max} ms)");
        if (wrong > 0) problems.Add($"{wrong} recognitions answered wrongly after the indexes showed the write");
        var report = new ReplicaReport(options.Replicas, options.Rounds, addStats, removeStats, wrong, missed, resync, nginx, problems,
            Math.Round(clock.Elapsed.TotalSeconds, 1));
        if (report.Passed) dir.Delete(recursive: true);
        else problems.Add($"replica logs kept in {dir.FullName}");
        return report;
    }

    /// <summary>Recognizes <paramref name="jpeg"/> on every replica but <paramref name="except"/>; counts answers failing <paramref name="right"/>.</summary>
    private static async Task<int> CountWrong(IReadOnlyList<HttpClient> clients, int except, byte[] jpeg, Func<long?, bool> right)
    {
        var wrong = 0;
        for (var i = 0; i < clients.Count; i++)
        {
            if (i == except) continue;
            var (status, person, _, _) = await Api.RecognizeAsync(clients[i], jpeg);
            if (status != 200 || !right(person)) wrong++;
        }
        return wrong;
    }

    /// <summary>nginx in front of the first two replicas: answers spread over both, and all right after one is killed.</summary>
    private static async Task<NginxResult> ThroughNginx(List<ServerProcess> replicas, (long Person, Photo Photo) known, List<string> problems)
    {
        using var nginx = await Nginx.StartAsync([replicas[0].BaseAddress, replicas[1].BaseAddress]);
        using var client = new HttpClient { BaseAddress = nginx.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ServerProcess.AdminKey);
        Task<double> Served(int i) => replicas[i].RequestCountAsync("/api/v1/recognize");
        var before = new[] { await Served(0), await Served(1) };
        const int Requests = 10;
        var wrong = await Recognize(client, known, Requests);
        var byReplica = new Dictionary<string, int>
        {
            [replicas[0].BaseAddress.Authority] = (int)(await Served(0) - before[0]),
            [replicas[1].BaseAddress.Authority] = (int)(await Served(1) - before[1]),
        };
        if (byReplica.Values.Any(v => v == 0)) problems.Add($"nginx sent every request to one replica: {string.Join(", ", byReplica)}");
        replicas[1].Kill();
        var afterKill = await Recognize(client, known, Requests);
        if (wrong + afterKill > 0) problems.Add($"through nginx: {wrong} wrong answers, {afterKill} after a replica was killed");
        return new NginxResult(Requests, byReplica, wrong, Requests, afterKill);
    }

    private static async Task<int> Recognize(HttpClient client, (long Person, Photo Photo) known, int count)
    {
        var wrong = 0;
        for (var i = 0; i < count; i++)
        {
            var (status, person, _, _) = await Api.RecognizeAsync(client, known.Photo.Bytes);
            if (status != 200 || person != known.Person) wrong++;
        }
        return wrong;
    }
}
