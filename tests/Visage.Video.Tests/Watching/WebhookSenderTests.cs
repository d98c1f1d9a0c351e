using System.Collections.Concurrent;
using Visage.Video.Tests.Servers;
using Visage.Video.Watching;

namespace Visage.Video.Tests.Watching;

/// <summary>Webhooks: JSON posted in order, 5xx retried a bounded number of times, 4xx not, and a bounded queue.</summary>
public sealed class WebhookSenderTests : IDisposable
{
    private static readonly WebhookOptions Quick = new() { RetryDelay = TimeSpan.FromMilliseconds(20), Attempts = 3 };
    private readonly WebhookReceiver _receiver = new();

    private string Url => _receiver.Url("/events", "hook:s3cret");

    [Fact]
    public async Task Events_ArePostedAsJsonInOrder()
    {
        await using var sender = new WebhookSender(Url, Quick);
        for (var i = 0; i < 5; i++) sender.Post($"{{\"n\":{i}}}");
        await sender.DrainAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{{\"n\":{i}}}"), _receiver.Received.Select(r => r.Body));
        Assert.All(_receiver.Received, r => Assert.Equal("application/json", r.Type));
        Assert.Equal((5, 0, 0), (sender.Sent, sender.Failed, sender.Dropped));
    }

    [Fact]
    public async Task ServerErrors_AreRetried_ThenGivenUpOnAfterTheLastAttempt_WithTheUrlMasked()
    {
        foreach (var status in new[] { 503, 500 }) _receiver.Answers.Enqueue(status); // the first event gets through on its third attempt
        foreach (var status in new[] { 502, 502, 502 }) _receiver.Answers.Enqueue(status); // the second never does
        var log = new ConcurrentQueue<string>();
        await using var sender = new WebhookSender(Url, Quick, log.Enqueue);
        sender.Post("{\"n\":1}");
        sender.Post("{\"n\":2}");
        await sender.DrainAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((1, 1), (sender.Sent, sender.Failed));
        Assert.Equal(6, _receiver.Requests);
        var line = Assert.Single(log);
        Assert.Contains("HTTP 502", line);
        Assert.Contains("hook:***@", line);
        Assert.DoesNotContain("s3cret", line);
    }

    [Fact]
    public async Task ARefusal_IsNotRetried()
    {
        _receiver.Answers.Enqueue(400);
        await using var sender = new WebhookSender(Url, Quick);
        sender.Post("{}");
        await sender.DrainAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((0, 1, 1), (sender.Sent, sender.Failed, _receiver.Requests));
    }

    [Fact]
    public async Task ADeadReceiver_NeverHoldsMoreThanTheQueue()
    {
        _receiver.Stop(); // connections refused from now on
        await using var sender = new WebhookSender(Url, Quick with { QueueCapacity = 4, Attempts = 1 });
        for (var i = 0; i < 200; i++) sender.Post("{}");
        await sender.DrainAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, sender.Sent + sender.Failed + sender.Dropped);
        Assert.True(sender.Dropped >= 200 - 4 - 1, $"dropped {sender.Dropped}");
        Assert.Equal(0, sender.Sent);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/events")]
    [InlineData("/relative/path")]
    public void NotAnHttpUrl_IsRefused(string url) => Assert.Throws<ArgumentException>(() => new WebhookSender(url));

    public void Dispose() => _receiver.Dispose();
}
