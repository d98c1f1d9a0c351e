using System.Diagnostics;
using SkiaSharp;

namespace Visage.Reliability;

/// <summary>How the Frigate latency harness runs.</summary>
/// <param name="Cameras">Camera counts to measure: that many events published at once per round.</param>
/// <param name="Rounds">Rounds per camera count.</param>
public sealed record FrigateBenchOptions(IReadOnlyList<int> Cameras, int Rounds);

/// <summary>
/// Latencies from the event published to the sub label posted, for one camera count, and Visage's share of them (from
/// the message's arrival to the label posted, as the bridge reports it on <c>visage/cameras/CAMERA</c>).
/// </summary>
public sealed record FrigateLatency(int Cameras, int Events, int Labeled, LatencyStats Milliseconds, LatencyStats InsideVisage);

/// <summary>
/// The harness's report: the bridge's latencies, and as a yardstick measured in the same run (the machine's load
/// varies from run to run) the latency of <c>POST /api/v1/recognize</c> with the same snapshot, one request at a time.
/// </summary>
public sealed record FrigateBenchReport(string Snapshot, IReadOnlyList<FrigateLatency> Runs, LatencyStats DirectRecognize, bool Passed);

/// <summary>
/// Time from a Frigate event to its sub label, with real parts on loopback: mosquitto, the Frigate stand-in and a real
/// <c>visage serve</c> bridging them. Each round publishes one <c>new</c> person event per camera at the same moment,
/// each with a 1280x720 JPEG snapshot showing an enrolled person, and waits for every sub label; latency is measured on
/// the stand-in's clock from the publish to the arrival of <c>POST /api/events/{id}/sub_label</c>.
/// </summary>
public static class FrigateHarness
{
    public static async Task<FrigateBenchReport> RunAsync(FrigateBenchOptions options, TextWriter log)
    {
        var dir = Directory.CreateTempSubdirectory("visage-frigate-bench-");
        using var broker = MosquittoBroker.Start();
        await using var frigate = await FrigateStandIn.StartAsync(broker);
        await using var server = await ServerProcess.StartAsync(Path.Combine(dir.FullName, "gallery.db"), Path.Combine(dir.FullName, "server.log"),
            env: new Dictionary<string, string> { ["VISAGE_MQTT_URL"] = broker.Url, ["VISAGE_FRIGATE_URL"] = frigate.BaseAddress.ToString() });
        using var admin = server.Client();
        var person = await Api.CreatePersonAsync(admin, "Edward Lu");
        foreach (var n in new[] { 2, 3 })
            await admin.PostAsync($"/api/v1/persons/{person}/faces", Api.Jpeg(File.ReadAllBytes(Face("Edward_Lu", n))));
        await using var watcher = await MqttWatcher.StartAsync(broker, "visage/available", "visage/cameras/#");
        if (await watcher.WaitForAsync(m => m.Payload == "online", TimeSpan.FromSeconds(60)) is null) throw new TimeoutException("the bridge did not connect");
        var snapshot = Snapshot720p(File.ReadAllBytes(Face("Edward_Lu", 4)));

        await RoundAsync(frigate, snapshot, 3, "warmup"); // JIT, first sessions
        var runs = new List<FrigateLatency>();
        foreach (var cameras in options.Cameras)
        {
            var latencies = new List<double>();
            var labeled = 0;
            for (var round = 0; round < options.Rounds; round++)
            {
                var result = await RoundAsync(frigate, snapshot, cameras, $"r{round}");
                latencies.AddRange(result);
                labeled += result.Count;
                await Task.Delay(200);
            }
            var stats = LatencyStats.Of(latencies);
            await Task.Delay(500); // the last cameras' messages
            var inside = LatencyStats.Of(watcher.Seen.Where(m => m.Topic.StartsWith("visage/cameras/r", StringComparison.Ordinal) && m.Topic.EndsWith($"_of_{cameras}", StringComparison.Ordinal))
                .Select(m => System.Text.Json.JsonDocument.Parse(m.Payload).RootElement.GetProperty("milliseconds").GetDouble()));
            log.WriteLine($"frigate: {cameras} camera(s): {labeled}/{cameras * options.Rounds} labeled, p50 {stats.P50} ms, p95 {stats.P95} ms; inside Visage p50 {inside.P50} ms, p95 {inside.P95} ms");
            runs.Add(new FrigateLatency(cameras, cameras * options.Rounds, labeled, stats, inside));
        }
        var direct = new List<double>();
        for (var i = 0; i < options.Rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await admin.PostAsync("/api/v1/recognize", Api.Jpeg(snapshot));
            response.EnsureSuccessStatusCode();
            direct.Add(clock.Elapsed.TotalMilliseconds);
        }
        var yardstick = LatencyStats.Of(direct);
        log.WriteLine($"frigate: POST /api/v1/recognize of the same snapshot, one at a time: p50 {yardstick.P50} ms, p95 {yardstick.P95} ms");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return new FrigateBenchReport("1280x720 JPEG, one face 300 px high", runs, yardstick, runs.All(r => r.Labeled == r.Events));
    }

    private static async Task<List<double>> RoundAsync(FrigateStandIn frigate, byte[] snapshot, int cameras, string tag)
    {
        var ids = Enumerable.Range(0, cameras).Select(_ => FrigateStandIn.NewEventId()).ToList();
        foreach (var id in ids) frigate.SetSnapshot(id, snapshot);
        await Task.WhenAll(ids.Select((id, i) => frigate.PublishAsync("new", id, $"{tag}_camera_{i}_of_{cameras}")));
        var waiting = ids.ToHashSet();
        var latencies = new List<double>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (waiting.Count > 0)
            {
                var posted = await frigate.SubLabels.Reader.ReadAsync(timeout.Token);
                if (waiting.Remove(posted.EventId)) latencies.Add((posted.At - frigate.PublishedAt(posted.EventId)).TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) { } // the missing ones count as unlabeled
        return latencies;
    }

    private static string Face(string person, int n) => Path.Combine(RepoPaths.Faces, person, $"{person}_{n:0000}.jpg");

    /// <summary>A 720p camera frame: a grey scene with the photo scaled to 300 px high in it.</summary>
    private static byte[] Snapshot720p(byte[] photo)
    {
        using var face = SKImage.FromEncodedData(photo);
        using var surface = SKSurface.Create(new SKImageInfo(1280, 720));
        surface.Canvas.Clear(new SKColor(96, 104, 112));
        surface.Canvas.DrawImage(face, new SKRect(700, 180, 700 + 300f * face.Width / face.Height, 480), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var image = surface.Snapshot();
        using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 85);
        return jpeg.ToArray();
    }
}
