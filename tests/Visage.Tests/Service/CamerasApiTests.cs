using System.Net.Http.Headers;
using Visage.Reliability;
using Visage.Serve.Cameras;
using Visage.Tests;
using Visage.Video.Tests;
using Visage.Video.Tests.Servers;
using Visage.Video.Tests.Media;

namespace Visage.Cli.Tests.Service;

/// <summary>A service of its own for the camera tests (cameras keep its CPU busy), with the standard timeline's known people enrolled.</summary>
public sealed class CameraServerFixture : IAsyncLifetime
{
    public VisageServer Server { get; private set; } = null!;

    public GroundTruth Video { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Video = await TestVideo.CachedAsync(TestVideo.StandardTimeline(), 1280, 720, 25);
        Server = await VisageServer.StartAsync();
        foreach (var known in Casts.Known(TestVideo.StandardTimeline()))
        {
            var person = await (await Server.Client.PostAsJsonAsync("/api/v1/persons", new { name = known.Label })).Content.ReadFromJsonAsync<JsonElement>();
            var id = person.GetProperty("id").GetInt64();
            foreach (var photo in known.Photos)
                await Server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(photo)); // photos with no face or several get a 422
        }
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[Collection(ServiceCollection.Name)]
public sealed class CamerasApiTests(CameraServerFixture fixture) : IClassFixture<CameraServerFixture>
{
    private VisageServer Server => fixture.Server;

    [Fact]
    public async Task Camera_OnTheGeneratedVideo_EventsArriveAsServerSentEvents_WithSnapshotStreamMetricsAndAppearances()
    {
        using var listener = Server.NewClient(await Server.CreateKeyAsync("recognize", "events"));
        listener.Timeout = Timeout.InfiniteTimeSpan;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var events = await listener.GetAsync("/api/v1/events?camera=porch", HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync(stop.Token));

        using var webhook = new WebhookReceiver();
        var created = await Server.Client.PostAsJsonAsync("/api/v1/cameras", new { name = "porch", url = fixture.Video.Video, fps = 10, detector = "tiny", webhook = webhook.Url("/visage") });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var camera = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = camera.GetProperty("id").GetInt64();
        try
        {
            // The file plays in real time: the first person walks in at 1 s and out at 4 s.
            var first = fixture.Video.Appearances[0].Label;
            var all = new List<(string Event, JsonElement Data)> { await NextEventAsync(reader, stop.Token) };
            var track = all[0].Data.GetProperty("track").GetInt64();
            while (!all.Any(e => e.Event == "left" && e.Data.GetProperty("track").GetInt64() == track))
                all.Add(await NextEventAsync(reader, stop.Token));
            // The next person may appear before the first one's track is closed: one sequence per track.
            var received = all.Where(e => e.Data.GetProperty("track").GetInt64() == track).ToList();
            Assert.Equal(["appeared", "identified", "left"], received.Select(e => e.Event));
            Assert.All(received, e => Assert.Equal("porch", e.Data.GetProperty("camera").GetString()));
            Assert.Equal(first, received[1].Data.GetProperty("name").GetString());
            Assert.Equal(first, received[2].Data.GetProperty("name").GetString());

            // The camera's webhook got the same events, in order.
            var until = DateTime.UtcNow.AddSeconds(10);
            while (webhook.Received.Count < all.Count && DateTime.UtcNow < until) await Task.Delay(50);
            Assert.Equal(all.Select(e => e.Data.ToString()), webhook.Received.Take(all.Count).Select(r => JsonDocument.Parse(r.Body).RootElement.ToString()));

            var snapshot = await listener.GetAsync($"/api/v1/cameras/{id}/snapshot");
            Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
            Assert.Equal("image/jpeg", snapshot.Content.Headers.ContentType?.MediaType);
            Assert.Equal([0xFF, 0xD8], (await snapshot.Content.ReadAsByteArrayAsync()).Take(2));

            using (var stream = await listener.GetAsync($"/api/v1/cameras/{id}/stream", HttpCompletionOption.ResponseHeadersRead))
            {
                Assert.Equal("multipart/x-mixed-replace", stream.Content.Headers.ContentType?.MediaType);
                using var body = new StreamReader(await stream.Content.ReadAsStreamAsync());
                Assert.Equal("--visageframe", await body.ReadLineAsync());
                Assert.Equal("Content-Type: image/jpeg", await body.ReadLineAsync());
                Assert.StartsWith("Content-Length: ", await body.ReadLineAsync());
            }

            var appearances = await listener.GetFromJsonAsync<JsonElement>($"/api/v1/cameras/{id}/appearances");
            var last = appearances.EnumerateArray().First();
            Assert.Equal(first, last.GetProperty("name").GetString());
            Assert.StartsWith("data:image/jpeg;base64,", last.GetProperty("thumbnail").GetString());
            // The appearance is a sighting too, so feedback and the unknown clusters cover cameras.
            var sightings = await Server.Client.GetFromJsonAsync<JsonElement>("/api/v1/sightings?camera=porch");
            Assert.Contains(sightings.GetProperty("items").EnumerateArray(),
                s => s.GetProperty("source").GetString() == "camera" && s.GetProperty("name").GetString() == first);

            var metrics = await listener.GetStringAsync("/metrics");
            Assert.True(PrometheusText.Sum(metrics, "visage_camera_frames_processed_total", ("camera", "porch")) >= 1, metrics);
            Assert.True(PrometheusText.Sum(metrics, "visage_camera_processing_latency_seconds_count", ("camera", "porch")) >= 1, metrics);
            Assert.Equal(1, PrometheusText.Sum(metrics, "visage_camera_up", ("camera", "porch")));
            var listed = await listener.GetFromJsonAsync<JsonElement>($"/api/v1/cameras/{id}");
            Assert.Equal("running", listed.GetProperty("state").GetString());
            Assert.Equal("file", listed.GetProperty("kind").GetString());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await Server.Client.DeleteAsync($"/api/v1/cameras/{id}")).StatusCode);
        }
        Assert.Empty(ProcessTable.ChildrenNamed("ffmpeg", fixture.Video.Video));
        await ProblemAssert.IsProblem(await Server.Client.GetAsync($"/api/v1/cameras/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CredentialsInTheUrl_AreStoredButNeverShown_AndTheUnreachableCameraReportsItsError()
    {
        var created = await Server.Client.PostAsJsonAsync("/api/v1/cameras",
            new { name = "gate", url = "rtsp://admin:hunter2@127.0.0.1:9/stream1", webhook = "http://hook:s3cr3t@127.0.0.1:9/events" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var camera = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = camera.GetProperty("id").GetInt64();
        try
        {
            Assert.Equal("rtsp://admin:***@127.0.0.1:9/stream1", camera.GetProperty("url").GetString());
            Assert.Equal("http://hook:***@127.0.0.1:9/events", camera.GetProperty("webhook").GetString());
            // Nothing answers on port 9: the camera fails, retries, and says why (masked).
            var until = DateTime.UtcNow.AddSeconds(30);
            JsonElement state;
            do
            {
                await Task.Delay(200);
                state = await Server.Client.GetFromJsonAsync<JsonElement>($"/api/v1/cameras/{id}");
            } while (state.GetProperty("lastError").ValueKind == JsonValueKind.Null && DateTime.UtcNow < until);
            Assert.Contains("127.0.0.1", state.GetProperty("lastError").GetString());
            var everything = await Server.Client.GetStringAsync("/api/v1/cameras") + await Server.Client.GetStringAsync("/metrics") + Server.Console;
            Assert.DoesNotContain("hunter2", everything);
            Assert.DoesNotContain("s3cr3t", everything);
            await ProblemAssert.IsProblem(await Server.Client.GetAsync($"/api/v1/cameras/{id}/snapshot"), HttpStatusCode.ServiceUnavailable, "no frame yet");
            // Stored as given, so the reader can log in after a restart.
            using var store = CameraStore.Open(Server.Options.Database);
            Assert.Contains("admin:hunter2@", store.Get(id)!.Source.WithCredentialsInline());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await Server.Client.DeleteAsync($"/api/v1/cameras/{id}")).StatusCode);
        }
        Assert.Empty(ProcessTable.ChildrenNamed("ffmpeg", "127.0.0.1:9/stream1"));
    }

    [Theory]
    [InlineData("{\"url\":\"rtsp://127.0.0.1/a\"}", "name")]
    [InlineData("{\"name\":\"x\"}", "url")]
    [InlineData("{\"name\":\"x\",\"url\":\"ftp://u:hunter2@127.0.0.1/a\"}", "url")]
    [InlineData("{\"name\":\"x\",\"url\":\"rtsp://127.0.0.1/a\",\"fps\":0}", "fps")]
    [InlineData("{\"name\":\"x\",\"url\":\"rtsp://127.0.0.1/a\",\"fps\":120}", "fps")]
    [InlineData("{\"name\":\"x\",\"url\":\"rtsp://127.0.0.1/a\",\"detector\":\"yolo\"}", "detector")]
    [InlineData("{\"name\":\"x\",\"url\":\"rtsp://127.0.0.1/a\",\"webhook\":\"not a url\"}", "webhook")]
    public async Task BadCamera_Is400_NamingTheField(string json, string field)
    {
        var response = await Server.Client.PostAsync("/api/v1/cameras", new StringContent(json, new MediaTypeHeaderValue("application/json")));
        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.DoesNotContain("hunter2", problem.ToString());
    }

    [Fact]
    public async Task DuplicateName_Is409_UnknownCamera_Is404()
    {
        var created = await Server.Client.PostAsJsonAsync("/api/v1/cameras", new { name = "twice", url = "rtsp://127.0.0.1:9/a" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        try
        {
            await ProblemAssert.IsProblem(await Server.Client.PostAsJsonAsync("/api/v1/cameras", new { name = "twice", url = "rtsp://127.0.0.1:9/b" }), HttpStatusCode.Conflict);
        }
        finally
        {
            await Server.Client.DeleteAsync($"/api/v1/cameras/{id}");
        }
        foreach (var path in new[] { "", "/snapshot", "/stream", "/appearances" })
            await ProblemAssert.IsProblem(await Server.Client.GetAsync($"/api/v1/cameras/987654{path}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await Server.Client.DeleteAsync("/api/v1/cameras/987654"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cameras_AreStoredInTheGalleryDatabase_AndStartedWithTheServer()
    {
        var folder = Directory.CreateTempSubdirectory("visage-cameras-");
        try
        {
            var database = Path.Combine(folder.FullName, "gallery.db");
            await using (var first = await VisageServer.StartAsync(o => o with { Database = database }))
                Assert.Equal(HttpStatusCode.Created, (await first.Client.PostAsJsonAsync("/api/v1/cameras", new { name = "kept", url = "rtsp://127.0.0.1:9/kept", fps = 5 })).StatusCode);
            Assert.Empty(ProcessTable.ChildrenNamed("ffmpeg", "127.0.0.1:9/kept"));

            await using var second = await VisageServer.StartAsync(o => o with { Database = database });
            var until = DateTime.UtcNow.AddSeconds(20);
            JsonElement cameras;
            do
            {
                cameras = await second.Client.GetFromJsonAsync<JsonElement>("/api/v1/cameras");
                if (cameras.GetArrayLength() > 0) break;
                await Task.Delay(100);
            } while (DateTime.UtcNow < until);
            var kept = Assert.Single(cameras.EnumerateArray());
            Assert.Equal("kept", kept.GetProperty("name").GetString());
            Assert.Equal(5, kept.GetProperty("fps").GetDouble());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The next event of a Server-Sent Events stream (comment lines skipped).</summary>
    private static async Task<(string Event, JsonElement Data)> NextEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? name = null, data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
            else if (line.Length == 0 && name is not null && data is not null) return (name, JsonDocument.Parse(data).RootElement);
        }
        throw new EndOfStreamException("the event stream ended");
    }
}
