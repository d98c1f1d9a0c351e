using System.Net.Http.Json;
using System.Text.Json;
using Visage.Reliability;
using Visage.Tests;

namespace Visage.Fuzz;

/// <summary>
/// Hostile requests (<see cref="HostileRequests"/>) to a real <c>visage serve</c> on loopback, from two clients at
/// once. Every answer must be a 2xx or a problem JSON with a 4xx status (never a 5xx, never a dropped connection); the
/// server must stay up with bounded memory (its peak resident set is reported), and afterwards a normal recognition
/// must still answer correctly.
/// </summary>
internal static class HttpTarget
{
    private const int Workers = 2;
    private const long BodyLimit = 20L * 1024 * 1024; // visage serve's default --max-body-mb

    public static async Task<long> RunAsync(FuzzOptions options, HostileImages images, FuzzReport report)
    {
        var dir = Directory.CreateTempSubdirectory("visage-fuzz-http-");
        // No rate limit in the way: the point is what the parsing and decoding do with the bodies.
        await using var server = await ServerProcess.StartAsync(Path.Combine(dir.FullName, "gallery.db"), Path.Combine(dir.FullName, "server.log"),
            ["--rate-limit", "1000000", "--rate-burst", "1000000"]);
        using var admin = server.Client(timeout: TimeSpan.FromSeconds(120));
        using var recognizer = server.Client(await Api.CreateKeyAsync(admin, "recognize", "fuzz"), TimeSpan.FromSeconds(120));

        // A known face for the check at the end; fuzzed enrollments go to a person deleted before that check.
        var known = Photo.All().GroupBy(p => p.Person).First(g => g.Count() >= 4).ToList();
        var knownId = await Api.CreatePersonAsync(admin, "Known " + known[0].Person);
        var enrolled = (await Api.SendAsync(admin, HttpMethod.Post, $"/api/v1/persons/{knownId}/faces", Api.Jpeg(known[2].Bytes))).Status;
        var sink = await Api.CreatePersonAsync(admin, "Fuzz sink");
        var generator = new HostileRequests(images, options.Seed, sink);

        var next = -1;
        long peak = 0;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < options.Count && !report.OutOfTime)
            {
                FuzzRequest request;
                lock (generator) request = generator.Next(i);
                var outcome = await Send(request.Admin ? admin : recognizer, request);
                lock (report)
                {
                    report.Add(request.Kind, outcome.Outcome);
                    if (outcome.Violation is { } what) report.Violation(i, request.Kind.Replace(' ', '-'), request.Input, what);
                }
                var now = server.PeakRssBytes;
                var before = Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), now));
                if (now - before > 50L << 20) // where the peak climbs: the cases that cost memory
                    Console.Error.WriteLine($"server peak {before >> 20} -> {now >> 20} MB at case {i} ({request.Kind}, {request.Input.Length} bytes, {outcome.Outcome})");
                if (i % 1000 == 999) // the course of memory: a leak climbs on, garbage collected late levels off
                    Console.Error.WriteLine($"after {i + 1} cases: server resident {server.RssBytes >> 20} MB, peak {now >> 20} MB");
            }
        })));
        peak = Math.Max(peak, server.PeakRssBytes);

        // Afterwards: alive, and a normal recognition is still right.
        lock (report)
        {
            if (server.HasExited) report.Violation(-1, "server", [], "the server is no longer running");
        }
        await Api.SendAsync(admin, HttpMethod.Delete, $"/api/v1/persons/{sink}");
        var (status, person, _, _) = await Api.RecognizeAsync(recognizer, known[3].Bytes);
        if (enrolled != 201 || status != 200 || person != knownId)
            report.Violation(-1, "final-recognize", known[3].Bytes, $"enroll {enrolled}, then recognize {status} as person {person}, expected {knownId}");
        else report.Add("final recognize", "right");
        Console.Error.WriteLine($"server log: {server.LogPath}");
        if (report.Violations.Count == 0)
        {
            await server.DisposeAsync();
            dir.Delete(recursive: true);
        }
        return peak;
    }

    private static async Task<(string Outcome, string? Violation)> Send(HttpClient client, FuzzRequest request)
    {
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, request.Path) { Content = request.Body() };
            // Over the body limit the server answers 413 at once and closes the connection; a client that sends
            // Expect: 100-continue (as curl does for large bodies) reads that answer instead of a broken pipe.
            if (message.Content.Headers.ContentLength > BodyLimit) message.Headers.ExpectContinue = true;
            using var response = await client.SendAsync(message);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            if (status is >= 200 and < 300) return ($"{status}", null);
            if (status >= 500) return ($"{status}", $"{status}: {Truncate(body)}");
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                return ($"{status} not a problem", $"{status} answered as {response.Content.Headers.ContentType}: {Truncate(body)}");
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.TryGetProperty("status", out var s) && s.GetInt32() == status
                ? ($"{status}", null)
                : ($"{status} bad problem", $"{status} with a problem whose status differs: {Truncate(body)}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return ("NO ANSWER", $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
