namespace Visage.Serve.Frigate;

/// <summary>
/// Settings of the Frigate bridge (what Double Take does, inside Visage): Frigate's events arrive over MQTT, each person
/// event's picture is fetched from Frigate's HTTP API and recognized, and the answer goes back to Frigate as the event's
/// sub label, to MQTT as matches, to Home Assistant as sensors, and to the sightings.
/// </summary>
public sealed record FrigateOptions
{
    /// <summary>The broker (<c>mqtt://user:pass@host:1883</c>; from VISAGE_MQTT_URL or --mqtt-url).</summary>
    public required string MqttUrl { get; init; }

    /// <summary>Frigate's HTTP API (<c>http://frigate:5000</c>; from VISAGE_FRIGATE_URL or --frigate-url); user info in it is sent as basic authentication.</summary>
    public required string FrigateUrl { get; init; }

    /// <summary>Only these cameras' events (empty: every camera).</summary>
    public IReadOnlyList<string> Cameras { get; init; } = [];

    /// <summary>Only events in one of these zones, current or entered (empty: anywhere).</summary>
    public IReadOnlyList<string> Zones { get; init; } = [];

    /// <summary>The object labels recognized (default: person).</summary>
    public IReadOnlyList<string> Labels { get; init; } = ["person"];

    /// <summary>The most pictures recognized per event (default 10, as Double Take); the same picture twice is never recognized again.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>Events recognized at once (default 4: several cameras' events overlap their downloads; the networks still queue behind the inference gate).</summary>
    public int Workers { get; init; } = 4;

    /// <summary>Post the best known match as the event's sub label (default on).</summary>
    public bool UpdateSubLabels { get; init; } = true;

    /// <summary>Frigate's topic prefix (default <c>frigate</c>: events on <c>frigate/events</c>).</summary>
    public string FrigateTopic { get; init; } = "frigate";

    /// <summary>Visage's topic prefix (default <c>visage</c>: <c>visage/matches/NAME</c>, <c>visage/cameras/CAMERA</c>, <c>visage/available</c>).</summary>
    public string Topic { get; init; } = "visage";

    /// <summary>Home Assistant's discovery prefix (default <c>homeassistant</c>); null for no discovery.</summary>
    public string? DiscoveryPrefix { get; init; } = "homeassistant";

    /// <summary>How long Frigate may take to answer one request.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two connection attempts to the broker (the wait doubles from 1 s up to this).</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The broker address, parsed.</summary>
    public MqttAddress Mqtt => MqttAddress.Parse(MqttUrl);

    /// <summary>Frigate's address, parsed.</summary>
    public Uri Frigate => new(FrigateUrl.TrimEnd('/') + "/");

    /// <summary>Throws when a setting is unusable (messages never hold a password).</summary>
    /// <exception cref="ArgumentException">A setting is unusable.</exception>
    public void Validate()
    {
        _ = Mqtt;
        if (!(Uri.TryCreate(FrigateUrl, UriKind.Absolute, out var frigate) && frigate.Scheme is "http" or "https"))
            throw new ArgumentException("the Frigate address must be an http:// or https:// URL (VISAGE_FRIGATE_URL or --frigate-url)");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 1, nameof(Workers));
        foreach (var topic in new[] { FrigateTopic, Topic, DiscoveryPrefix ?? "x" })
            if (topic.Length == 0 || topic.IndexOfAny(['+', '#']) >= 0) throw new ArgumentException($"'{topic}' is not a usable MQTT topic prefix");
    }

    /// <summary>A URL for logs, without its user info.</summary>
    public static string Redact(Uri url) => url.UserInfo.Length == 0 ? url.ToString() : url.ToString().Replace(url.UserInfo + "@", "***@", StringComparison.Ordinal);
}
