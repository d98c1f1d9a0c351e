using Visage.Cli.Tests.Service;
using Visage.Reliability;

namespace Visage.Cli.Tests.Nvr;

/// <summary>
/// The parts of a home NVR on loopback: Debian's mosquitto with a password file, a Frigate stand-in (HTTP routes and
/// <c>frigate/events</c> in Frigate's JSON), a real <c>visage serve</c> process bridging the two, and a watcher of what
/// Visage publishes. Edward Lu is enrolled (photos 2 and 3).
/// </summary>
public sealed class FrigateBridgeFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-frigate-");

    public MosquittoBroker Broker { get; private set; } = null!;
    public FrigateStandIn Frigate { get; private set; } = null!;
    public ServerProcess Server { get; private set; } = null!;
    public MqttWatcher Watcher { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public long EdwardLu { get; private set; }

    /// <summary>Set before start to begin with the broker down.</summary>
    public bool BrokerDownAtStart { get; init; }

    public async Task InitializeAsync()
    {
        Broker = MosquittoBroker.Start();
        Frigate = await FrigateStandIn.StartAsync(Broker);
        Watcher = await MqttWatcher.StartAsync(Broker, "visage/#", "homeassistant/#");
        if (BrokerDownAtStart) Broker.Halt();
        Server = await ServerProcess.StartAsync(Path.Combine(_dir.FullName, "gallery.db"), Path.Combine(_dir.FullName, "server.log"),
            env: new Dictionary<string, string>
            {
                ["VISAGE_MQTT_URL"] = Broker.Url,
                ["VISAGE_FRIGATE_URL"] = Frigate.BaseAddress.ToString(),
                ["VISAGE_FRIGATE_CAMERAS"] = "",
                ["Logging__LogLevel__Default"] = "Debug",
                ["Logging__LogLevel__Microsoft"] = "Warning",
                ["Logging__LogLevel__System"] = "Warning",
            });
        Admin = Server.Client();
        // The bridge says "online" once it is subscribed: events published before would be lost (Frigate publishes at QoS 0).
        if (!BrokerDownAtStart) Assert.NotNull(await BridgeOnlineAsync(TimeSpan.FromSeconds(30)));
        EdwardLu = await Api.CreatePersonAsync(Admin, "Edward Lu");
        foreach (var photo in new[] { Photos.Lu(2), Photos.Lu(3) })
            Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsync($"/api/v1/persons/{EdwardLu}/faces", Bodies.Raw(photo))).StatusCode);
    }

    /// <summary>Connects the test's own MQTT clients again after the broker went away (a new watcher: what it saw before is dropped).</summary>
    public async Task ReconnectAsync()
    {
        await Watcher.DisposeAsync();
        Watcher = await MqttWatcher.StartAsync(Broker, "visage/#", "homeassistant/#");
        await Frigate.ReconnectAsync(Broker);
    }

    /// <summary>The bridge's latest "online" on <c>visage/available</c> after <paramref name="after"/> messages seen, or null within the time.</summary>
    public Task<MqttSeen?> BridgeOnlineAsync(TimeSpan timeout, int after = 0) =>
        Watcher.WaitForAsync(m => m.Topic == "visage/available" && m.Payload == "online" && Watcher.Seen.ToList().IndexOf(m) >= after, timeout);

    /// <summary>Publishes a new person event with <paramref name="snapshot"/> as its snapshot; returns its id.</summary>
    public async Task<string> EventAsync(string camera, string snapshot, string type = "new")
    {
        var id = FrigateStandIn.NewEventId();
        Frigate.SetSnapshot(id, File.ReadAllBytes(snapshot));
        await Frigate.PublishAsync(type, id, camera);
        return id;
    }

    /// <summary>The next sub label posted, or null within the time.</summary>
    public async Task<SubLabelPosted?> SubLabelAsync(string eventId, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var posted = await Frigate.SubLabels.Reader.ReadAsync(cancel.Token);
                if (posted.EventId == eventId) return posted;
            }
        }
        catch (OperationCanceledException) { return null; }
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
        if (Watcher is not null) await Watcher.DisposeAsync();
        if (Frigate is not null) await Frigate.DisposeAsync();
        Broker?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _dir.Delete(recursive: true); }
        catch (IOException) { }
    }
}
