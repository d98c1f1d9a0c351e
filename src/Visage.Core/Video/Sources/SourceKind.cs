namespace Visage.Video.Sources;

/// <summary>What a source string points at; decides how it is read and whether it is live.</summary>
public enum SourceKind
{
    /// <summary>A video file on disk (mp4, mkv, avi, mov, ...): read as fast as the consumer takes frames.</summary>
    File,

    /// <summary>An RTSP stream (<c>rtsp://</c>, <c>rtsps://</c>).</summary>
    Rtsp,

    /// <summary>Any other HTTP(S) stream ffmpeg reads, usually MJPEG (<c>multipart/x-mixed-replace</c>).</summary>
    HttpMjpeg,

    /// <summary>An HLS playlist (<c>.m3u8</c>).</summary>
    Hls,

    /// <summary>An HTTP(S) URL that answers one still image per request (<c>snapshot.jpg</c>, <c>latest.jpg</c>).</summary>
    Snapshot,

    /// <summary>A local capture device (<c>/dev/video0</c>, read through video4linux2).</summary>
    Device,
}
