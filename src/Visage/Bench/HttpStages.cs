using System.Net.Http.Headers;
using Visage.Models;
using Visage.Pipeline;
using Visage.Serve;

namespace Visage.Cli.Bench;

/// <summary>
/// The service itself on loopback: one <c>visage serve</c> app per detector, started in this process on a free port
/// with a throwaway SQLite gallery, and one HTTP client posting the photo as a raw <c>image/jpeg</c> body, as a
/// webcam page or script would, timed from the first byte sent to the last byte read.
/// </summary>
/// <param name="models">The networks every server shares.</param>
/// <param name="warmup">Requests each new server answers before it is timed (<see cref="BenchSettings.HttpWarmup"/>).</param>
public sealed class HttpStages(ModelRepository models, int warmup) : IDisposable
{
    private const string Key = "vsg_bench_admin_key_0123456789";
    private readonly string _folder = Directory.CreateTempSubdirectory("visage-bench-http-").FullName;
    private readonly Dictionary<string, (WebApplication App, HttpClient Client)> _servers = [];

    /// <summary>Names every face against the gallery.</summary>
    public const string Recognize = "/api/v1/recognize";

    /// <summary>Finds every face and returns its descriptor.</summary>
    public const string Embed = "/api/v1/embed";

    /// <summary>
    /// Posts the photo to <paramref name="endpoint"/> of the server named <paramref name="name"/> (started on first
    /// use with <paramref name="analyzer"/>, then warmed) and reads the answer.
    /// </summary>
    public int Post(string name, FaceAnalyzerOptions analyzer, string endpoint, byte[] photo)
    {
        var fresh = !_servers.ContainsKey(name);
        var client = Server(name, analyzer);
        if (fresh)
            for (var i = 0; i < warmup; i++) Post(client, endpoint, photo);
        Post(client, endpoint, photo);
        return 1;
    }

    private static void Post(HttpClient client, string endpoint, byte[] photo)
    {
        using var content = new ByteArrayContent(photo) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } };
        using var response = client.PostAsync(endpoint, content).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
    }

    private HttpClient Server(string name, FaceAnalyzerOptions analyzer)
    {
        if (_servers.TryGetValue(name, out var server)) return server.Client;
        var options = new ServiceOptions
        {
            Urls = "http://127.0.0.1:0",
            Database = Path.Combine(_folder, $"{name}.db"),
            Analyzer = analyzer,
            AdminKey = Key,
            RateLimitPerSecond = 100_000, // the bench measures latency, not the rate limit
            RateLimitBurst = 100_000,
            LogLevel = LogLevel.Warning,
        };
        var app = VisageService.Build(options, TextWriter.Null, models);
        app.Start();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        for (var i = 0; i < 600 && !client.GetAsync("/ready").GetAwaiter().GetResult().IsSuccessStatusCode; i++) Thread.Sleep(100);
        _servers[name] = (app, client);
        return client;
    }

    public void Dispose()
    {
        foreach (var (app, client) in _servers.Values)
        {
            client.Dispose();
            app.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)app).Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
