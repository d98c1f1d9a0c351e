namespace Visage.Video.Sources;

/// <summary>Why a source cannot deliver frames at all (files; live sources retry instead of throwing).</summary>
public enum VideoSourceError
{
    /// <summary>ffmpeg or ffprobe is not installed.</summary>
    FfmpegMissing,

    /// <summary>The file does not exist.</summary>
    NotFound,

    /// <summary>The file is not a video ffmpeg can read (damaged, truncated, not a media file).</summary>
    Corrupt,

    /// <summary>The file has no video stream (audio only, subtitles, ...).</summary>
    NoVideo,

    /// <summary>The video stream's codec has no decoder in this ffmpeg.</summary>
    UnsupportedCodec,

    /// <summary>ffmpeg failed for another reason (its last error lines are in the message).</summary>
    Failed,
}

/// <summary>A source that cannot deliver frames; the message is masked of credentials and says what to do.</summary>
public sealed class VideoSourceException : Exception
{
    /// <summary>Creates the exception; <paramref name="maskedMessage"/> must already be masked.</summary>
    public VideoSourceException(VideoSourceError error, string maskedMessage) : base(maskedMessage) => Error = error;

    /// <summary>What kind of failure.</summary>
    public VideoSourceError Error { get; }
}
