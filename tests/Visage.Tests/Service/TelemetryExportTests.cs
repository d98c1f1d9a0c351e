using System.Net.Sockets;
using System.Text;
using Visage.Reliability;

namespace Visage.Cli.Tests.Service;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, a real <c>visage serve</c> sends its metrics and a trace per request,
/// with one span per pipeline stage, to that OTLP collector (here a loopback listener that keeps what it receives).
/// </summary>
public sealed class TelemetryExportTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-otlp-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task ARecognition_IsTracedStageByStage_AndTheMetricsArePushed_ByOtlp()
    {
        using var collector = new OtlpCollector();
        var env = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",         // spans leave within 0.2 s
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",     // metrics every 0.5 s
        };
        await using var server = await ServerProcess.StartAsync(Path.Combine(_dir.FullName, "gallery.db"), Path.Combine(_dir.FullName, "server.log"), env: env);
        using var client = server.Client();
        (await client.PostAsync("/api/v1/recognize", Bodies.Raw(Photos.ThreeFaces))).EnsureSuccessStatusCode();

        // Protobuf keeps strings as UTF-8 bytes: the span names, the source's and the route are readable in the payload.
        var traces = await collector.WaitForAsync("/v1/traces", t => t.Contains("/api/v1/recognize") && t.Contains("match"));
        Assert.Contains(PipelineTelemetry.SourceName, traces);
        foreach (var stage in new[] { "decode", "detect", "landmarks", "align", "embed", "match" })
            Assert.Contains(stage, traces);
        var metrics = await collector.WaitForAsync("/v1/metrics", m => m.Contains("visage.recognitions"));
        Assert.Contains("visage.stage.duration", metrics);
        Assert.Contains("http.server.request.duration", metrics);
    }

    /// <summary>An OTLP/HTTP receiver on a loopback port: answers 200 to every export and keeps the bodies per path.</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(string Path, string Body)> _received = [];
        private readonly Task _serving;

        public OtlpCollector()
        {
            var port = FreePort();
            Address = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _serving = Task.Run(Serve);
        }

        public string Address { get; }

        public async Task<string> WaitForAsync(string path, Func<string, bool> complete)
        {
            for (var i = 0; i < 300; i++)
            {
                string all;
                lock (_received) all = string.Concat(_received.Where(r => r.Path == path).Select(r => r.Body));
                if (complete(all)) return all;
                await Task.Delay(100);
            }
            lock (_received) throw new TimeoutException($"{path}: nothing complete among {_received.Count} exports ({string.Join(", ", _received.Select(r => r.Path).Distinct())})");
        }

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (_received) _received.Add((context.Request.Url!.AbsolutePath, Encoding.UTF8.GetString(body.ToArray())));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
    }
}
