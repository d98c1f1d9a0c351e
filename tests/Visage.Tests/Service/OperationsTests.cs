namespace Visage.Cli.Tests.Service;

/// <summary>Health, readiness, metrics, the OpenAPI document and page, and the static web page.</summary>
[Collection(ServiceCollection.Name)]
public sealed class OperationsTests(ServiceFixture fixture)
{
    private VisageServer Server => fixture.Server;

    [Fact]
    public async Task Health_And_Ready_NeedNoKey()
    {
        using var anonymous = Server.NewClient(null);
        Assert.Equal("healthy", (await anonymous.GetFromJsonAsync<JsonElement>("/health")).GetProperty("status").GetString());
        var ready = await anonymous.GetFromJsonAsync<JsonElement>("/ready");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.StartsWith("face_recognition_model", ready.GetProperty("modelId").GetString());
    }

    [Fact]
    public async Task Metrics_CountRequestsPerRoute_Latencies_Faces_AndGallerySize()
    {
        await Server.Client.PostAsync("/api/v1/detect", Bodies.Raw(Photos.ThreeFaces));
        await Server.Client.GetAsync("/api/v1/persons/424242");
        var response = await Server.Client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Matches("""visage_http_requests_total\{route="/api/v1/detect",method="POST",status="200"\} [1-9]""", text);
        Assert.Matches("""visage_http_requests_total\{route="/api/v1/persons/\{id:long\}",method="GET",status="404"\} [1-9]""", text);
        Assert.Matches("""visage_http_request_duration_seconds_bucket\{route="/api/v1/detect",method="POST",le="\+Inf"\} [1-9]""", text);
        Assert.Matches("""visage_faces_detected_total\{route="/api/v1/detect"\} ([3-9]|\d\d)""", text);
        Assert.Matches("""(?m)^visage_gallery_faces \d+$""", text);
        Assert.Contains("# TYPE visage_http_request_duration_seconds histogram", text);
        // Every sample line is "name{labels} number": what a Prometheus scraper parses.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
            Assert.Matches("""^[a-z_]+(\{.*\})? -?[0-9.e+]+$""", line);
    }

    [Fact]
    public async Task OpenApi_DescribesEveryEndpoint_AndTheKeyHeader()
    {
        var doc = await Server.NewClient(null).GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/recognize", "/api/v1/verify", "/api/v1/detect", "/api/v1/embed", "/api/v1/persons",
                     "/api/v1/persons/{id}", "/api/v1/persons/{id}/faces", "/api/v1/faces/{id}", "/health", "/ready", "/metrics" })
            Assert.True(paths.TryGetProperty(path, out _), path + " missing");
        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        var recognize = paths.GetProperty("/api/v1/recognize").GetProperty("post");
        Assert.True(recognize.GetProperty("responses").TryGetProperty("429", out _));
        Assert.True(recognize.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
    }

    [Fact]
    public async Task TheApiPage_And_TheWebcamPage_AreServed_WithNothingFromOtherHosts()
    {
        using var client = Server.NewClient(null);
        foreach (var (path, marker) in new[] { ("/", "id=\"live\""), ("/api", "openapi") })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains(marker, html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch("""(src|href)=["']https?://""", html); // no CDN: works offline
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/app.js")).StatusCode);
    }
}
