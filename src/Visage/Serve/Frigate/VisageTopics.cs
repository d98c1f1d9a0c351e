using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Visage.Serve.Frigate;

/// <summary>
/// What the bridge publishes, all retained: <c>visage/matches/NAME</c> (a person's last sighting: camera, time,
/// confidence), <c>visage/cameras/CAMERA</c> (the last person a camera saw), <c>visage/available</c> (online, or offline
/// as the connection's last will), and Home Assistant's discovery messages, so each camera and each person appears as a
/// sensor without any YAML (<c>homeassistant/sensor/visage_.../config</c>).
/// </summary>
public sealed class VisageTopics(FrigateOptions options)
{
    /// <summary>The JSON of every message: camelCase, nulls kept (a stranger's name is null).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>The availability topic.</summary>
    public string Available => $"{options.Topic}/available";

    /// <summary>A person's topic.</summary>
    public string Match(string name) => $"{options.Topic}/matches/{Level(name)}";

    /// <summary>A camera's topic.</summary>
    public string Camera(string camera) => $"{options.Topic}/cameras/{Level(camera)}";

    /// <summary>Frigate's events topic.</summary>
    public string FrigateEvents => $"{options.FrigateTopic}/events";

    /// <summary>The messages for one outcome: each known person's match, and the camera's state.</summary>
    public IEnumerable<(string Topic, string Payload)> For(FrigateOutcome outcome)
    {
        foreach (var match in outcome.Matches.Where(m => m.Name is not null).GroupBy(m => m.Name!).Select(g => g.MaxBy(m => m.Confidence)!))
            yield return (Match(match.Name!), JsonSerializer.Serialize(match, Json));
        yield return (Camera(outcome.Camera), JsonSerializer.Serialize(outcome, Json));
    }

    /// <summary>Home Assistant's discovery message for a camera's sensor (state: the last person seen).</summary>
    public (string Topic, string Payload)? CameraSensor(string camera) => Sensor($"camera_{Slug(camera)}", $"{camera} last person",
        Camera(camera), "{{ value_json.name }}", "mdi:cctv");

    /// <summary>Home Assistant's discovery message for a person's sensor (state: the camera that saw them last; attributes: when).</summary>
    public (string Topic, string Payload)? PersonSensor(string name) => Sensor($"person_{Slug(name)}", $"{name} last seen",
        Match(name), "{{ value_json.camera }}", "mdi:account");

    private (string Topic, string Payload)? Sensor(string id, string name, string state, string template, string icon)
    {
        if (options.DiscoveryPrefix is not { } prefix) return null;
        var config = new Dictionary<string, object>
        {
            ["name"] = name,
            ["unique_id"] = $"visage_{id}",
            ["object_id"] = $"visage_{id}",
            ["state_topic"] = state,
            ["value_template"] = template,
            ["json_attributes_topic"] = state,
            ["availability_topic"] = Available,
            ["icon"] = icon,
            ["device"] = new Dictionary<string, object> { ["identifiers"] = new[] { "visage" }, ["name"] = "Visage", ["manufacturer"] = "Visage", ["model"] = "face recognition" },
        };
        return ($"{prefix}/sensor/visage_{id}/config", JsonSerializer.Serialize(config));
    }

    /// <summary>A name as one topic level: the wildcards and the level separator are replaced.</summary>
    public static string Level(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name) text.Append(c is '/' or '+' or '#' || char.IsControl(c) ? '_' : c);
        return text.ToString();
    }

    /// <summary>A name as an id Home Assistant accepts: lower-case letters, digits and underscores.</summary>
    public static string Slug(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant()) text.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        return text.ToString();
    }
}
