using Visage.Reliability;
using Visage.Imaging;
using Visage.Tests;

namespace Visage.Cli.Tests.Service;

/// <summary>A service with tight limits: one analysis at a time and no queue, 1 request/s per key, and CORS for one origin.</summary>
public sealed class StrictServerFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "http://allowed.example";

    public VisageServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await VisageServer.StartAsync(o => o with
    {
        MaxConcurrency = 1,
        QueueLimit = 0,
        RateLimitPerSecond = 1,
        RateLimitBurst = 3,
        CorsOrigins = [AllowedOrigin],
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[Collection(ServiceCollection.Name)]
public sealed class LimitsTests(StrictServerFixture strict, ServiceFixture fixture) : IClassFixture<StrictServerFixture>
{
    [Fact]
    public async Task Status429_PerKey_WithRetryAfter_OtherKeysUnaffected()
    {
        using var greedy = strict.Server.NewClient(await strict.Server.CreateKeyAsync("recognize", "greedy"));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 12 && limited is null; i++)
        {
            var response = await greedy.PostAsync("/api/v1/detect", Bodies.Raw([], "image/jpeg")); // cheap: 400, no inference
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
        }
        Assert.NotNull(limited);
        Assert.Equal(HttpStatusCode.BadRequest, statuses[0]);
        await ProblemAssert.IsProblem(limited, HttpStatusCode.TooManyRequests);
        ProblemAssert.RetryAfterSeconds(limited);

        using var other = strict.Server.NewClient(await strict.Server.CreateKeyAsync("recognize", "patient"));
        Assert.Equal(HttpStatusCode.BadRequest, (await other.PostAsync("/api/v1/detect", Bodies.Raw([], "image/jpeg"))).StatusCode);
    }

    [Fact]
    public async Task Status503_Overloaded_WithRetryAfter_NotQueuedWithoutBound()
    {
        // One slot and no queue. A 22 MP photo (sample1.jpg enlarged 3x: a few hundred ms of analysis) takes the slot;
        // once /metrics shows it running, bursts of three more requests (each with its own key, so the rate limit does
        // not answer first) arrive until it is answered: a burst is not always faster than the analysis's remainder.
        var clients = new List<HttpClient>();
        for (var i = 0; i < 4; i++) clients.Add(strict.Server.NewClient(await strict.Server.CreateKeyAsync("recognize", $"burst{i}")));
        var photo = ImageEncoder.Encode(TestImages.Enlarge(new ImageDecoder().DecodeFile(TestImages.Sample1), 3), ".jpg");
        using var anonymous = strict.Server.NewClient(null);
        var first = clients[0].PostAsync("/api/v1/recognize", Bodies.Raw(photo));
        for (var i = 0; i < 400 && PrometheusText.Sum(await anonymous.GetStringAsync("/metrics"), "visage_inference_running") != 1; i++)
            await Task.Delay(25);
        var small = File.ReadAllBytes(Photos.Lu(2));
        var responses = new List<HttpResponseMessage>();
        for (var burst = 0; burst < 3 && (burst == 0 || !first.IsCompleted); burst++) // each key may send 3 at once (RateLimitBurst)
            responses.AddRange(await Task.WhenAll(clients.Skip(1).Select(c => c.PostAsync("/api/v1/recognize", Bodies.Raw(small)))));
        responses.Add(await first);

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var busy = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.StatusCode.ToString()));
        await ProblemAssert.IsProblem(busy[0], HttpStatusCode.ServiceUnavailable, "busy");
        ProblemAssert.RetryAfterSeconds(busy[0]);
        Assert.Equal(busy.Count, PrometheusText.Sum(await anonymous.GetStringAsync("/metrics"), "visage_inference_rejected_total"));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Cors_IsOffByDefault_AndAllowsOnlyConfiguredOrigins()
    {
        static HttpRequestMessage Preflight(string origin) => new(HttpMethod.Options, "/api/v1/recognize")
        {
            Headers = { { "Origin", origin }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "x-api-key,content-type" } },
        };
        using var client = strict.Server.NewClient(null);
        var allowed = await client.SendAsync(Preflight(StrictServerFixture.AllowedOrigin));
        Assert.Equal(StrictServerFixture.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-api-key", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);

        var other = await client.SendAsync(Preflight("http://evil.example"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));

        using var defaults = fixture.Server.NewClient(null);
        var off = await defaults.SendAsync(Preflight(StrictServerFixture.AllowedOrigin));
        Assert.False(off.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
