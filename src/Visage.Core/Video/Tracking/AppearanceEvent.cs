using System.Globalization;
using System.Text;
using System.Text.Json;
using Visage.Faces;

namespace Visage.Video.Tracking;

/// <summary>What happened to an appearance.</summary>
public enum AppearanceEventKind
{
    /// <summary>First confirmed sight of a face.</summary>
    Appeared,

    /// <summary>Its name settled (or it settled on unknown).</summary>
    Identified,

    /// <summary>It is gone.</summary>
    Left,
}

/// <summary>
/// One event of one appearance on one camera. <see cref="ToJson"/> gives the wire form, one JSON object:
/// <c>{"event","camera","track","time","name","personId","confidence","distance","box","frames"}</c>, plus
/// <c>"duration"</c> (seconds) on <c>left</c>; <c>time</c> is media seconds (a number) for files and an ISO-8601
/// UTC string for live sources; <c>name</c> and <c>personId</c> are null for a stranger and before identification.
/// </summary>
/// <param name="Kind">appeared, identified or left.</param>
/// <param name="Camera">The camera's name.</param>
/// <param name="Track">The track's id.</param>
/// <param name="Time">The frame of the event (on <c>left</c>, the last frame the face was seen in).</param>
/// <param name="Decision">Who (null on <c>appeared</c>).</param>
/// <param name="Box">The face's box in that frame (its last box on <c>left</c>).</param>
/// <param name="Frames">Frames the face was seen in so far.</param>
/// <param name="DurationSeconds">On <c>left</c>: first to last sight; null otherwise.</param>
public sealed record AppearanceEvent(
    AppearanceEventKind Kind, string Camera, long Track, FrameStamp Time, TrackDecision? Decision, BoundingBox Box, int Frames, double? DurationSeconds = null)
{
    /// <summary>The event name on the wire: <c>appeared</c>, <c>identified</c>, <c>left</c>.</summary>
    public string EventName => Kind switch
    {
        AppearanceEventKind.Appeared => "appeared",
        AppearanceEventKind.Identified => "identified",
        _ => "left",
    };

    /// <summary>The event as one JSON object (one line, for JSON-lines output, SSE and webhooks).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
            WriteTo(w);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes the event as one JSON object.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("event", EventName);
        w.WriteString("camera", Camera);
        w.WriteNumber("track", Track);
        if (Time.Utc is { } utc) w.WriteString("time", utc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        else w.WriteNumber("time", Math.Round(Time.Seconds, 3));
        w.WriteString("name", Decision?.Name);
        if (Decision?.PersonId is { } id) w.WriteNumber("personId", id);
        else w.WriteNull("personId");
        Number(w, "confidence", Decision?.Confidence);
        Number(w, "distance", Decision?.Distance);
        w.WriteStartObject("box");
        w.WriteNumber("x", Math.Round(Box.X, 1));
        w.WriteNumber("y", Math.Round(Box.Y, 1));
        w.WriteNumber("width", Math.Round(Box.Width, 1));
        w.WriteNumber("height", Math.Round(Box.Height, 1));
        w.WriteEndObject();
        w.WriteNumber("frames", Frames);
        if (DurationSeconds is { } d) w.WriteNumber("duration", Math.Round(d, 3));
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) w.WriteNumber(name, Math.Round(v, 4));
        else w.WriteNull(name);
    }
}
