using Visage.Cli.Tests.Service;

namespace Visage.Cli.Tests.Nvr;

/// <summary>
/// The broker down when Visage starts, and the broker going away while it runs: the bridge connects (again) by itself,
/// with back-off, its subscription restored, a warning for the outage and not one per retry, and events are handled
/// once it is back.
/// </summary>
public sealed class FrigateBrokerFaultTests : IAsyncLifetime
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(45);
    private readonly FrigateBridgeFixture _nvr = new() { BrokerDownAtStart = true };

    public Task InitializeAsync() => _nvr.InitializeAsync();

    public Task DisposeAsync() => _nvr.DisposeAsync();

    [Fact]
    public async Task TheBrokerDownAtStart_AndGoingAway_TheBridgeReconnects_AndHandlesEventsAgain()
    {
        await Task.Delay(TimeSpan.FromSeconds(3)); // a few refused connection attempts
        Assert.True((await _nvr.Admin.GetAsync("/ready")).IsSuccessStatusCode); // the service itself runs without the broker
        _nvr.Broker.Resume();
        await ReconnectWatcherAndWaitForBridgeAsync();
        var first = await _nvr.EventAsync("porch", Photos.Lu(4));
        Assert.Equal("Edward Lu", (await _nvr.SubLabelAsync(first, Soon))?.SubLabel);

        _nvr.Broker.Halt();
        await Task.Delay(TimeSpan.FromSeconds(2));
        _nvr.Broker.Resume();
        await ReconnectWatcherAndWaitForBridgeAsync();
        var second = await _nvr.EventAsync("porch", Photos.Lu(5)); // reaches the bridge: its subscription was restored
        Assert.Equal("Edward Lu", (await _nvr.SubLabelAsync(second, Soon))?.SubLabel);

        var log = _nvr.Server.Output;
        Assert.Equal(1, Count(log, "Frigate bridge: cannot connect to")); // one warning for the outage at start, retries at debug level
        Assert.Equal(1, Count(log, "Frigate bridge: the connection to"));
        Assert.Equal(2, Count(log, "Frigate bridge: connected to"));
        Assert.DoesNotContain(_nvr.Broker.Password, log);
        Assert.False(_nvr.Server.HasExited);
    }

    // The test's own clients lost the broker too: connect them again, then wait for the bridge's "online".
    private async Task ReconnectWatcherAndWaitForBridgeAsync()
    {
        await _nvr.ReconnectAsync();
        Assert.NotNull(await _nvr.BridgeOnlineAsync(Soon));
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
