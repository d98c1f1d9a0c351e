namespace Visage.Video.Tracking;

/// <summary>When a frame was taken: what the tracker and the events need of a video frame.</summary>
/// <param name="Index">Frame number in its source (increasing; gaps are dropped frames).</param>
/// <param name="Seconds">Media time for files; seconds since the source started for live sources (monotonic).</param>
/// <param name="Utc">Wall-clock arrival for live sources; null for files (their events carry <paramref name="Seconds"/>).</param>
public readonly record struct FrameStamp(long Index, double Seconds, DateTimeOffset? Utc = null);
