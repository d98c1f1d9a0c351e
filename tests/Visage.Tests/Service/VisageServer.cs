using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Visage.Serve;

namespace Visage.Cli.Tests.Service;

/// <summary>
/// The real service (Kestrel on a free loopback port, real models, a real SQLite file in a temp directory unless a
/// database is given), started in this process and stopped on dispose.
/// </summary>
public sealed class VisageServer : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly WebApplication _app;
    private readonly DirectoryInfo _dir;

    private VisageServer(WebApplication app, DirectoryInfo dir, ServiceOptions options, StringWriter console)
    {
        _app = app;
        _dir = dir;
        Options = options;
        Console = console;
        BaseAddress = new Uri(app.Urls.First());
        Client = NewClient(AdminKey);
    }

    public ServiceOptions Options { get; }

    /// <summary>What the service printed.</summary>
    public StringWriter Console { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client with the admin key.</summary>
    public HttpClient Client { get; }

    public string Directory => _dir.FullName;

    /// <summary>Starts a service; <paramref name="configure"/> changes the test defaults (a generous rate limit).</summary>
    public static async Task<VisageServer> StartAsync(Func<ServiceOptions, ServiceOptions>? configure = null, bool waitUntilReady = true)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("visage-service-");
        var options = new ServiceOptions
        {
            Urls = "http://127.0.0.1:0",
            Database = Path.Combine(dir.FullName, "gallery.db"),
            AdminKey = AdminKey,
            RateLimitPerSecond = 1000,
            RateLimitBurst = 1000,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        };
        options = configure?.Invoke(options) ?? options;
        var console = new StringWriter();
        var app = VisageService.Build(options, TextWriter.Synchronized(console), TestModels.Repository);
        await app.StartAsync();
        var server = new VisageServer(app, dir, options, console);
        if (waitUntilReady) await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>A client sending <paramref name="key"/> (none when null).</summary>
    public HttpClient NewClient(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>Makes an API key through the API and returns it.</summary>
    public async Task<string> CreateKeyAsync(string scope, string name = "test")
    {
        var response = await Client.PostAsJsonAsync("/api/v1/keys", new { name, scope });
        while (response.StatusCode == HttpStatusCode.TooManyRequests) // a server with a tight rate limit
        {
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            response = await Client.PostAsJsonAsync("/api/v1/keys", new { name, scope });
        }
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = NewClient(null);
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var response = await client.GetAsync("/ready");
            if (response.IsSuccessStatusCode) return;
            if (DateTime.UtcNow > until) throw new TimeoutException("not ready: " + await response.Content.ReadAsStringAsync());
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _dir.Delete(recursive: true); }
        catch (IOException) { } // best effort
    }
}

/// <summary>Request bodies made of image files, in the three forms the API accepts.</summary>
public static class Bodies
{
    public static HttpContent Raw(byte[] bytes, string type = "image/jpeg")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    public static HttpContent Raw(string path) => Raw(File.ReadAllBytes(path), path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "image/jpeg");

    public static HttpContent Multipart(params (string Field, string Path)[] files) => Multipart(files, []);

    public static HttpContent Multipart((string Field, string Path)[] files, (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (field, path) in files)
        {
            var file = new ByteArrayContent(File.ReadAllBytes(path));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, field, Path.GetFileName(path));
        }
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }

    /// <summary>JSON with a data URL per image, as a browser's AJAX post sends.</summary>
    public static HttpContent DataUrls(params (string Property, string Path)[] images) =>
        JsonContent.Create(images.ToDictionary(i => i.Property, i => (object)("data:image/jpeg;base64," + Convert.ToBase64String(File.ReadAllBytes(i.Path)))));
}
