using System.Text.Json;

namespace Visage.Serve.Frigate;

/// <summary>
/// What the bridge reads of one <c>frigate/events</c> message (Frigate's own JSON: <c>{"type": "new"|"update"|"end",
/// "before": {...}, "after": {...}}</c>, see Frigate's docs/integrations/mqtt.md): the tracked object as it is now.
/// </summary>
/// <param name="Type">new, update or end.</param>
/// <param name="Id">The event id, e.g. <c>1607123955.475377-mxklsc</c>.</param>
/// <param name="Camera">The camera.</param>
/// <param name="Label">The object label (person, car, ...).</param>
/// <param name="Zones">The zones it is in or entered.</param>
/// <param name="HasSnapshot">Frigate keeps a snapshot of it (else the camera's latest frame is used).</param>
/// <param name="FalsePositive">Frigate still considers it a false positive.</param>
/// <param name="FrameTime">The time of the frame the message is about (UTC).</param>
public sealed record FrigateEvent(string Type, string Id, string Camera, string Label, IReadOnlyList<string> Zones, bool HasSnapshot,
    bool FalsePositive, DateTime FrameTime)
{
    /// <summary>When the message arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks), to time its handling.</summary>
    public long ReceivedAt { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>True for the last message of an event.</summary>
    public bool Ended => Type == "end";

    /// <summary>Reads a message; null when it is not an event Visage can use (malformed JSON, no id or camera).</summary>
    public static FrigateEvent? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("after", out var after) || after.ValueKind != JsonValueKind.Object) return null;
            if (Text(after, "id") is not { Length: > 0 } id || Text(after, "camera") is not { Length: > 0 } camera) return null;
            var zones = Strings(after, "current_zones").Concat(Strings(after, "entered_zones")).Distinct().ToList();
            var seconds = Number(after, "frame_time") ?? Number(after, "start_time");
            var time = seconds is { } s ? DateTime.UnixEpoch.AddSeconds(s) : DateTime.UtcNow;
            return new FrigateEvent(Text(root, "type") ?? "update", id, camera, Text(after, "label") ?? "", zones,
                Flag(after, "has_snapshot"), Flag(after, "false_positive"), time);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static IEnumerable<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(z => z.ValueKind == JsonValueKind.String).Select(z => z.GetString()!)
            : [];
}
