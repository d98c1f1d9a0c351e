using Visage.Reliability;

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
        // Requests and their latency: ASP.NET Core's own histogram, per route template, method and status.
        const string Requests = "http_server_request_duration_seconds_count";
        Assert.True(PrometheusText.Sum(text, Requests, ("http_route", "/api/v1/detect"), ("http_request_method", "POST"), ("http_response_status_code", "200")) >= 1);
        Assert.True(PrometheusText.Sum(text, Requests, ("http_route", "/api/v1/persons/{id:long}"), ("http_request_method", "GET"), ("http_response_status_code", "404")) >= 1);
        Assert.True(PrometheusText.Sum(text, "http_server_request_duration_seconds_bucket", ("http_route", "/api/v1/detect"), ("le", "+Inf")) >= 1);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
        Assert.True(PrometheusText.Sum(text, "visage_faces_detected_total", ("route", "/api/v1/detect")) >= 3);
        Assert.NotNull(PrometheusText.Sum(text, "visage_gallery_faces"));
        // The runtime's own metrics come along.
        Assert.NotNull(PrometheusText.Sum(text, "dotnet_gc_collections_total"));
        // Every line is a comment or a sample "name{labels} number": what a Prometheus scraper parses.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
            Assert.Matches("""^[a-z_]+(\{.*\})? (-?[0-9.]+([eE][-+]?[0-9]+)?|[-+]Inf|NaN)$""", line);
    }

    [Fact]
    public async Task Metrics_AfterARecognition_CountItsOutcomes_AndTimeEveryStage()
    {
        static async Task<(double? Unknown, double? Embed, double? Match)> Read(HttpClient client)
        {
            var text = await client.GetStringAsync("/metrics");
            return (PrometheusText.Sum(text, "visage_recognitions_total", ("outcome", "unknown")),
                PrometheusText.Sum(text, "visage_stage_duration_seconds_count", ("stage", "embed")),
                PrometheusText.Sum(text, "visage_stage_duration_seconds_count", ("stage", "match")));
        }
        var before = await Read(Server.Client);

        var response = await Server.Client.PostAsync("/api/v1/recognize", Bodies.Raw(Photos.ThreeFaces));
        response.EnsureSuccessStatusCode();
        var strangers = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray().Count(f => f.GetProperty("name").ValueKind == JsonValueKind.Null);
        var after = await Read(Server.Client);

        Assert.True(strangers > 0);
        Assert.Equal((before.Unknown ?? 0) + strangers, after.Unknown);
        Assert.Equal((before.Embed ?? 0) + 1, after.Embed);
        Assert.Equal((before.Match ?? 0) + 1, after.Match);
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
