using System.Text;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using Visage.Gallery.Storage;

namespace Visage.Serve.Frigate;

/// <summary>
/// The Frigate bridge as a hosted service: keeps an MQTT connection (reconnecting with a doubling back-off, the
/// subscription restored on every connection), hands each <c>frigate/events</c> message to a few workers through a
/// bounded queue (the MQTT client's receive loop never waits for recognition), and publishes what the
/// <see cref="FrigateEventProcessor"/> found (<see cref="VisageTopics"/>). The broker's password is never logged.
/// </summary>
public sealed class FrigateBridge(FrigateOptions options, FrigateEventProcessor processor, GalleryHost galleries, ILogger<FrigateBridge> log)
    : BackgroundService
{
    private readonly MqttAddress _broker = options.Mqtt;
    private readonly VisageTopics _topics = new(options);
    private readonly Channel<FrigateEvent> _queue = Channel.CreateBounded<FrigateEvent>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly HashSet<string> _announced = []; // discovery messages sent on this connection
    private readonly Lock _announce = new();
    private IMqttClient? _client;
    private long _handled;

    /// <summary>True while connected to the broker.</summary>
    public bool IsConnected => _client?.IsConnected ?? false;

    /// <summary>Events handled since start (for tests and metrics).</summary>
    public long Handled => Interlocked.Read(ref _handled);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var workers = Enumerable.Range(0, options.Workers).Select(_ => Task.Run(() => WorkAsync(stop), CancellationToken.None)).ToList();
        using var client = new MqttClientFactory().CreateMqttClient();
        _client = client;
        client.ApplicationMessageReceivedAsync += Received;
        var delay = TimeSpan.FromSeconds(1);
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task Disconnected(MqttClientDisconnectedEventArgs _)
            {
                lost.TrySetResult();
                return Task.CompletedTask;
            }
            client.DisconnectedAsync += Disconnected;
            try
            {
                await ConnectAsync(client, stop);
                log.LogInformation("Frigate bridge: connected to {Broker}, following {Topic}", _broker, _topics.FrigateEvents);
                (delay, failures) = (TimeSpan.FromSeconds(1), 0);
                await lost.Task.WaitAsync(stop);
                log.LogWarning("Frigate bridge: the connection to {Broker} was lost; reconnecting", _broker);
                failures = 1; // that warning stands for this outage: its failed retries are debug lines
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The first failure of an outage is a warning; the retries every few seconds are not.
                if (failures++ == 0) log.LogWarning("Frigate bridge: cannot connect to {Broker} ({Message}); retrying with back-off", _broker, e.Message);
                else log.LogDebug("Frigate bridge: still cannot connect to {Broker}: {Message}", _broker, e.Message);
            }
            finally
            {
                client.DisconnectedAsync -= Disconnected;
            }
            try { await Task.Delay(delay, stop); }
            catch (OperationCanceledException) { break; }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxReconnectDelay.Ticks));
        }
        _queue.Writer.TryComplete();
        await Task.WhenAll(workers);
        if (client.IsConnected)
        {
            await Publish(_topics.Available, "offline", CancellationToken.None);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
    }

    private async Task ConnectAsync(IMqttClient client, CancellationToken stop)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_broker.Host, _broker.Port)
            .WithClientId($"visage-{Environment.MachineName}-{Environment.ProcessId}")
            .WithCleanSession(true)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithWillTopic(_topics.Available).WithWillPayload("offline").WithWillRetain(true).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_broker.User is not null) builder = builder.WithCredentials(_broker.User, _broker.Password ?? "");
        if (_broker.Tls) builder = builder.WithTlsOptions(t => t.UseTls());
        await client.ConnectAsync(builder.Build(), stop);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_topics.FrigateEvents, MqttQualityOfServiceLevel.AtLeastOnce, false, false, MqttRetainHandling.SendAtSubscribe).Build(), stop);
        lock (_announce) _announced.Clear(); // a broker without persistence forgot them: announce again
        await Publish(_topics.Available, "online", stop);
        await AnnouncePersonsAsync(stop);
    }

    private Task Received(MqttApplicationMessageReceivedEventArgs e)
    {
        if (e.ApplicationMessage.Topic != _topics.FrigateEvents) return Task.CompletedTask;
        if (FrigateEvent.Parse(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)) is { } frigateEvent) _queue.Writer.TryWrite(frigateEvent);
        else log.LogDebug("Frigate bridge: a message on {Topic} is not a Frigate event", e.ApplicationMessage.Topic);
        return Task.CompletedTask;
    }

    private async Task WorkAsync(CancellationToken stop)
    {
        await foreach (var frigateEvent in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (stop.IsCancellationRequested) return;
            try
            {
                if (await processor.HandleAsync(frigateEvent, stop) is { } outcome) await PublishAsync(outcome, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) // a bug in one event must not end the bridge
            {
                log.LogError(e, "Frigate bridge: event {Id} failed", frigateEvent.Id);
            }
            Interlocked.Increment(ref _handled);
        }
    }

    private async Task PublishAsync(FrigateOutcome outcome, CancellationToken stop)
    {
        if (Announce("camera:" + outcome.Camera) && _topics.CameraSensor(outcome.Camera) is { } camera) await Publish(camera.Topic, camera.Payload, stop);
        foreach (var name in outcome.Matches.Select(m => m.Name).OfType<string>().Distinct())
            if (Announce("person:" + name) && _topics.PersonSensor(name) is { } person) await Publish(person.Topic, person.Payload, stop);
        foreach (var (topic, payload) in _topics.For(outcome)) await Publish(topic, payload, stop);
    }

    // Every enrolled person gets a sensor from the start (up to a page of them), not only once seen.
    private async Task AnnouncePersonsAsync(CancellationToken stop)
    {
        IReadOnlyList<Person> persons;
        try { persons = galleries.Read(g => g.ListPersons(0, PersonsApi.MaxPageSize)); }
        catch (GalleryException e) { log.LogDebug("Frigate bridge: persons not announced: {Message}", e.Message); return; }
        foreach (var p in persons)
            if (Announce("person:" + p.Name) && _topics.PersonSensor(p.Name) is { } sensor) await Publish(sensor.Topic, sensor.Payload, stop);
    }

    private bool Announce(string key)
    {
        lock (_announce) return _announced.Add(key);
    }

    private async Task Publish(string topic, string payload, CancellationToken stop)
    {
        if (_client is not { IsConnected: true } client) return;
        try
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload))
                .WithRetainFlag(true).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), stop);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogDebug("Frigate bridge: publishing to {Topic} failed: {Message}", topic, e.Message);
        }
    }
}
