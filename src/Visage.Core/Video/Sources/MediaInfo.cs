namespace Visage.Video.Sources;

/// <summary>What ffprobe says about a video's first video stream.</summary>
/// <param name="Width">Display width in pixels (rotation applied: a portrait phone video is narrower than tall).</param>
/// <param name="Height">Display height in pixels.</param>
/// <param name="Fps">Average frame rate; 0 when the container does not say.</param>
/// <param name="DurationSeconds">Length in seconds; null for live streams and containers that do not say.</param>
/// <param name="Codec">ffmpeg's codec name (<c>h264</c>, <c>hevc</c>, <c>mjpeg</c>, ...).</param>
/// <param name="Container">ffmpeg's format name (<c>mov,mp4,m4a,3gp,3g2,mj2</c>, <c>matroska,webm</c>, ...).</param>
public sealed record MediaInfo(int Width, int Height, double Fps, double? DurationSeconds, string Codec, string Container);
