using System.Collections.Concurrent;
using System.Text;
using MQTTnet;

namespace Visage.Reliability;

/// <summary>A message seen on the broker.</summary>
public sealed record MqttSeen(string Topic, string Payload, bool Retained);

/// <summary>Watches topics on a broker and keeps every message, for tests to wait on.</summary>
public sealed class MqttWatcher : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentQueue<MqttSeen> _seen = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private MqttWatcher(IMqttClient client) => _client = client;

    /// <summary>Every message so far, in arrival order.</summary>
    public IReadOnlyList<MqttSeen> Seen => [.. _seen];

    public static async Task<MqttWatcher> StartAsync(MosquittoBroker broker, params string[] filters)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var watcher = new MqttWatcher(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            watcher._seen.Enqueue(new MqttSeen(e.ApplicationMessage.Topic, Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)), e.ApplicationMessage.Retain));
            watcher._arrived.Release();
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithCredentials(broker.User, broker.Password)
            .WithClientId("watcher-" + Guid.NewGuid().ToString("N")[..8]).Build());
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in filters) subscribe = subscribe.WithTopicFilter(filter);
        await client.SubscribeAsync(subscribe.Build());
        return watcher;
    }

    /// <summary>The first message (already seen or arriving within <paramref name="timeout"/>) that matches, or null.</summary>
    public async Task<MqttSeen?> WaitForAsync(Func<MqttSeen, bool> match, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_seen.FirstOrDefault(match) is { } found) return found;
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return null;
            await _arrived.WaitAsync(left);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}
