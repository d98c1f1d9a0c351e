using System.Globalization;
using System.Text.Json;

namespace Visage.Video.Sources;

/// <summary>
/// Asks ffprobe (JSON output) for a video's size, frame rate, duration and codec, and turns every way a file can
/// be unreadable into a <see cref="VideoSourceException"/> that says which.
/// </summary>
public static class MediaProbe
{
    /// <summary>Probes a file or stream.</summary>
    /// <exception cref="VideoSourceException">
    /// ffprobe is missing (<see cref="VideoSourceError.FfmpegMissing"/>), the file is missing
    /// (<see cref="VideoSourceError.NotFound"/>), unreadable (<see cref="VideoSourceError.Corrupt"/>), has no video
    /// stream (<see cref="VideoSourceError.NoVideo"/>) or a codec this ffmpeg cannot decode
    /// (<see cref="VideoSourceError.UnsupportedCodec"/>).
    /// </exception>
    public static async Task<MediaInfo> ProbeAsync(SourceUrl source, string ffprobePath = "ffprobe", CancellationToken cancellationToken = default)
    {
        if (source.Kind == SourceKind.File && !File.Exists(source.WithoutCredentials))
            throw new VideoSourceException(VideoSourceError.NotFound, $"video file not found: {source}");
        string[] args = ["-hide_banner", "-loglevel", "level+error", "-print_format", "json", "-show_format", "-show_streams", source.WithCredentialsInline()];
        await using var probe = FfmpegProcess.Start(ffprobePath, args, source);
        var json = await new StreamReader(probe.Output).ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var exit = await probe.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (exit != 0 || json.Length == 0)
            throw new VideoSourceException(VideoSourceError.Corrupt, $"{source} is not a readable video: {Tail(probe)}");
        return Parse(json, source);
    }

    /// <summary>Reads ffprobe's <c>-show_format -show_streams</c> JSON.</summary>
    internal static MediaInfo Parse(string json, SourceUrl source)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var container = root.TryGetProperty("format", out var format) && format.TryGetProperty("format_name", out var fn) ? fn.GetString() ?? "" : "";
        var streams = root.TryGetProperty("streams", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToArray()
            : [];
        foreach (var s in streams)
        {
            if (Text(s, "codec_type") != "video" || IsCoverArt(s)) continue;
            var codec = Text(s, "codec_name");
            if (codec is null or "none" or "unknown")
            {
                var tag = Text(s, "codec_tag_string") ?? "?";
                throw new VideoSourceException(VideoSourceError.UnsupportedCodec,
                    $"{source}: the video codec '{tag}' is not supported by this ffmpeg (no decoder for it)");
            }
            int width = Int(s, "width"), height = Int(s, "height");
            if (width <= 0 || height <= 0)
                throw new VideoSourceException(VideoSourceError.Corrupt, $"{source}: the video stream has no picture size");
            if (Math.Abs(Rotation(s)) % 180 == 90) (width, height) = (height, width);
            var fps = Rate(Text(s, "avg_frame_rate")) is > 0 and var avg ? avg : Rate(Text(s, "r_frame_rate"));
            var duration = Seconds(Text(s, "duration")) ?? (format.ValueKind == JsonValueKind.Object ? Seconds(Text(format, "duration")) : null);
            return new MediaInfo(width, height, fps, duration, codec, container);
        }
        throw new VideoSourceException(VideoSourceError.NoVideo, $"{source} has no video stream (container '{container}')");
    }

    private static string Tail(FfmpegProcess probe) => probe.ErrorTail() is { Length: > 0 } t ? t : "ffprobe failed without a message";

    // An mp3 or m4a with an album picture shows it as a one-frame "video" stream.
    private static bool IsCoverArt(JsonElement s) =>
        s.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var a) && a.ValueKind == JsonValueKind.Number && a.GetInt32() == 1;

    private static double Rotation(JsonElement s)
    {
        if (s.TryGetProperty("side_data_list", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var item in list.EnumerateArray())
                if (item.TryGetProperty("rotation", out var r) && r.ValueKind == JsonValueKind.Number) return r.GetDouble();
        return s.TryGetProperty("tags", out var tags) && Text(tags, "rotate") is { } rotate
            && double.TryParse(rotate, NumberStyles.Float, CultureInfo.InvariantCulture, out var deg) ? deg : 0;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;

    // "30000/1001" -> 29.97; "0/0" -> 0.
    private static double Rate(string? text)
    {
        if (text is null) return 0;
        var slash = text.IndexOf('/');
        if (slash < 0) return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
        return double.TryParse(text.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(text.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? n / d : 0;
    }

    private static double? Seconds(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;
}
