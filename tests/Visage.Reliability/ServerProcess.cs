using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Visage.Reliability;

/// <summary>
/// A real <c>visage serve</c> process (the visage.dll built beside this assembly) on a free loopback port, its output
/// appended to a log file; killed with SIGKILL or stopped with SIGTERM.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>The admin key every harness server accepts (VISAGE_ADMIN_KEY).</summary>
    public const string AdminKey = "reliability-admin-key-0123456789";

    private readonly Process _process;
    private readonly StreamWriter _log;
    private int _disposed;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Servers not yet disposed: killed when this process ends, even by an exception a harness did not catch.
    private static readonly HashSet<ServerProcess> Live = [];

    static ServerProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillLive();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillLive();
    }

    private ServerProcess(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public static string VisageDll => Path.Combine(AppContext.BaseDirectory, "visage.dll");

    /// <summary>Where stdout and stderr go (appended, so restarts share one file).</summary>
    public string LogPath { get; }

    public int Pid => _process.Id;

    /// <summary>Everything the process (and earlier ones with the same log) printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_log)
            {
                using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                return reader.ReadToEnd();
            }
        }
    }

    public Uri BaseAddress { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Server arguments that put the per-key rate limit out of the way, for harnesses that test something else: a
    /// round's recognitions, or requests refused fast by an outage, would otherwise soon be 429s.
    /// </summary>
    public static readonly string[] NoRateLimit = ["--rate-limit", "100000", "--rate-burst", "100000"];

    /// <summary>
    /// Starts <c>visage serve --db DATABASE</c> on 127.0.0.1 (port 0 unless given) and waits until it listens;
    /// <paramref name="waitUntilReady"/> also waits for <c>/ready</c>.
    /// </summary>
    /// <param name="adminKey">VISAGE_ADMIN_KEY, or null to start without one (the first start then prints a generated key).</param>
    public static async Task<ServerProcess> StartAsync(string database, string logPath, IEnumerable<string>? args = null,
        IDictionary<string, string>? env = null, int port = 0, bool waitUntilReady = true, string? adminKey = AdminKey)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in (string[])[VisageDll, "serve", "--urls", $"http://127.0.0.1:{port}", "--db", database, .. args ?? []])
            psi.ArgumentList.Add(a);
        if (adminKey is null) psi.Environment.Remove("VISAGE_ADMIN_KEY");
        else psi.Environment["VISAGE_ADMIN_KEY"] = adminKey;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var server = new ServerProcess(new Process { StartInfo = psi }, log, logPath);
        server._process.OutputDataReceived += (_, e) => server.Line(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Line(e.Data);
        server._process.Start();
        lock (Live) Live.Add(server);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var listening = await Task.WhenAny(server._listening.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (listening != server._listening.Task)
        {
            server.Kill();
            throw new TimeoutException($"visage serve did not start listening; see {logPath}");
        }
        server.BaseAddress = await server._listening.Task;
        if (waitUntilReady) await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return server;
    }

    /// <summary>A client for this server sending <paramref name="key"/> (none when null).</summary>
    public HttpClient Client(string? key = AdminKey, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = Client(null, TimeSpan.FromSeconds(10));
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"visage serve exited with {_process.ExitCode}; see {LogPath}");
            try
            {
                if ((await client.GetAsync("/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > until) throw new TimeoutException($"visage serve not ready after {timeout}; see {LogPath}");
            await Task.Delay(50);
        }
    }

    /// <summary>The gauge <paramref name="name"/> from <c>/metrics</c>, or null when absent.</summary>
    public async Task<double?> MetricAsync(HttpClient client, string name)
    {
        return PrometheusText.Sum(await client.GetStringAsync("/metrics"), name);
    }

    /// <summary>Requests this process answered on <paramref name="route"/> so far, any method and status (from <c>/metrics</c>).</summary>
    public async Task<double> RequestCountAsync(string route)
    {
        using var client = Client(null);
        // ASP.NET Core's request histogram: its count is the requests served, per route.
        return PrometheusText.Sum(await client.GetStringAsync("/metrics"), "http_server_request_duration_seconds_count", ("http_route", route)) ?? 0;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public void Kill()
    {
        try { _process.Kill(); } // SIGKILL on Unix
        catch (InvalidOperationException) { } // already gone
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then wait (SIGKILL after 30 s).</summary>
    public void Stop()
    {
        if (_process.HasExited) return;
        _ = SendSignal(_process.Id, 15);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) Kill();
        _process.WaitForExit();
    }

    /// <summary>Resident memory now (VmRSS), in bytes.</summary>
    public long RssBytes => Status("VmRSS:") * 1024;

    /// <summary>The most resident memory the process ever had (VmHWM), in bytes.</summary>
    public long PeakRssBytes => Status("VmHWM:") * 1024;

    /// <summary>Threads of the process.</summary>
    public int Threads => (int)Status("Threads:");

    /// <summary>TCP connections the process holds to 127.0.0.1:<paramref name="port"/>, any state but LISTEN/CLOSE.</summary>
    public int ConnectionsTo(int port) => ProcSockets.ConnectionsTo(_process.Id, port);

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return ValueTask.CompletedTask;
        lock (Live) Live.Remove(this);
        Stop();
        _process.Dispose();
        lock (_log) _log.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void KillLive()
    {
        lock (Live)
        {
            foreach (var server in Live) server.Kill();
            Live.Clear();
        }
    }

    private long Status(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; } // gone
    }

    private void Line(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            if (_disposed == 1) return;
            _log.WriteLine(line);
        }
        if (ListeningLine().Match(line) is { Success: true } m) _listening.TrySetResult(new Uri(m.Groups[1].Value));
    }

    [GeneratedRegex(@"^visage: listening on (http://\S+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}

/// <summary>The API calls the harnesses make, answering (status, JSON body or null).</summary>
public static class Api
{
    public static async Task<(int Status, JsonElement? Body)> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement? body = text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json") ?? false)
            ? JsonDocument.Parse(text).RootElement.Clone() : null;
        return ((int)response.StatusCode, body);
    }

    public static HttpContent Jpeg(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("image/jpeg");
        return content;
    }

    public static async Task<long> CreatePersonAsync(HttpClient admin, string name)
    {
        var (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/v1/persons", JsonContent.Create(new { name }));
        if (status != 201) throw new InvalidOperationException($"creating person '{name}': {status} {body}");
        return body!.Value.GetProperty("id").GetInt64();
    }

    public static async Task<string> CreateKeyAsync(HttpClient admin, string scope, string name)
    {
        var (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/v1/keys", JsonContent.Create(new { name, scope }));
        if (status != 201) throw new InvalidOperationException($"creating a key: {status} {body}");
        return body!.Value.GetProperty("key").GetString()!;
    }

    /// <summary>
    /// POST /recognize; the (person id, face id, distance) of the largest face, the one enrollment takes as the photo's
    /// subject (the first, best-scored, may be a bystander), or null for none or unknown.
    /// </summary>
    public static async Task<(int Status, long? PersonId, long? FaceId, double? Distance)> RecognizeAsync(HttpClient client, byte[] jpeg)
    {
        var (status, body) = await SendAsync(client, HttpMethod.Post, "/api/v1/recognize", Jpeg(jpeg));
        if (status != 200 || body!.Value.GetProperty("faces").GetArrayLength() == 0) return (status, null, null, null);
        var face = body.Value.GetProperty("faces").EnumerateArray().MaxBy(f =>
            f.GetProperty("box").GetProperty("width").GetDouble() * f.GetProperty("box").GetProperty("height").GetDouble());
        long? Long(string p) => face.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
        double? distance = face.TryGetProperty("distance", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : null;
        return (status, Long("personId"), Long("faceId"), distance);
    }
}
