using Visage.Video.Sources;
using Visage.Video.Watching;

namespace Visage.Serve.Cameras;

/// <summary>The body of <c>POST /api/v1/cameras</c>.</summary>
/// <param name="Name">Unique name, in every event (1 to 100 characters).</param>
/// <param name="Url">rtsp://, http(s):// (MJPEG, HLS, snapshot URL), a video file path or /dev/videoN; credentials may be inline.</param>
/// <param name="Fps">Frames per second to process (default 10; at most 30).</param>
/// <param name="Detector"><c>tiny</c> (default, fast) or <c>ssd</c> (accurate).</param>
/// <param name="Webhook">URL each event of this camera is posted to as JSON, or null.</param>
public sealed record CameraRequest(string? Name, string? Url, double? Fps, string? Detector, string? Webhook);

/// <summary>A camera as the API shows it: its URL masked of credentials, its state and counts.</summary>
/// <param name="Id">The camera's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Url">The source with every credential replaced by <c>***</c>.</param>
/// <param name="Kind">rtsp, httpMjpeg, hls, snapshot, file or device.</param>
/// <param name="Fps">Frames per second processed.</param>
/// <param name="Detector">The detector on frames.</param>
/// <param name="Webhook">The webhook, masked, or null.</param>
/// <param name="State">starting, running, failing or stopped.</param>
/// <param name="LastError">The last failure of its source (masked), or null.</param>
/// <param name="Totals">Frames and appearances since the service started watching it.</param>
/// <param name="Created">When it was added (UTC).</param>
public sealed record CameraDto(long Id, string Name, string Url, string Kind, double Fps, string Detector, string? Webhook,
    string State, string? LastError, CameraTotals Totals, DateTime Created)
{
    /// <summary>The API form of a watched camera.</summary>
    public static CameraDto From(CameraRunner runner)
    {
        var c = runner.Camera;
        return new CameraDto(c.Id, c.Name, c.Source.Masked, JsonName(c.Source.Kind.ToString()), c.Fps, c.Detector,
            c.Webhook is null ? null : SourceUrl.MaskText(c.Webhook), JsonName(runner.State.ToString()), runner.LastError, runner.Totals, c.CreatedUtc);
    }

    private static string JsonName(string pascal) => char.ToLowerInvariant(pascal[0]) + pascal[1..];
}

/// <summary>A finished appearance before a camera, for the page's list of recent ones.</summary>
/// <param name="Track">The track's id.</param>
/// <param name="Name">The person, or null for a stranger.</param>
/// <param name="PersonId">The person's id, or null.</param>
/// <param name="Confidence">How sure the decision was, 0..1.</param>
/// <param name="Distance">Distance to the nearest enrolled person, or null.</param>
/// <param name="Start">First seen: ISO-8601 UTC for live cameras, media seconds for a file.</param>
/// <param name="Duration">Seconds on screen.</param>
/// <param name="Frames">Frames the face was seen in.</param>
/// <param name="Thumbnail">The best face as a JPEG data URL.</param>
public sealed record AppearanceDto(long Track, string? Name, long? PersonId, double Confidence, double? Distance, string Start, double Duration, int Frames, string Thumbnail)
{
    /// <summary>The API form of an appearance.</summary>
    public static AppearanceDto From(Appearance a) => new(a.Left.Track, a.Decision.Name, a.Decision.PersonId, a.Decision.Confidence, a.Decision.Distance,
        a.Start.Utc is { } utc ? utc.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : a.Start.Seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
        Math.Round(a.Left.DurationSeconds ?? 0, 3), a.Left.Frames, "data:image/jpeg;base64," + Convert.ToBase64String(a.Thumbnail));
}
