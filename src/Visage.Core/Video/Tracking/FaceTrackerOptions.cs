namespace Visage.Video.Tracking;

/// <summary>How <see cref="FaceTracker"/> follows faces; the defaults suit 5-25 fps with faces 40 px and up.</summary>
public sealed record FaceTrackerOptions
{
    /// <summary>Frames a new track must be seen in before it counts (a detector flicker never gets that far).</summary>
    public int MinHits { get; init; } = 3;

    /// <summary>A confirmed track unseen for more frames than this has left.</summary>
    public int MaxMissedFrames { get; init; } = 12;

    /// <summary>A confirmed track unseen for longer than this (seconds) has left, whatever the frame count (slow sources).</summary>
    public double MaxGapSeconds { get; init; } = 2.0;

    /// <summary>Least overlap (IoU) of a face with a track's predicted box for the two to be the same face.</summary>
    public double MinIoU { get; init; } = 0.2;

    /// <summary>When both have a descriptor, a face farther than this (Euclidean) from the track is never it.</summary>
    public double MaxDescriptorDistance { get; init; } = 0.65;

    /// <summary>
    /// A face that no longer overlaps a lost track's prediction (it moved while hidden) is still taken back when its
    /// descriptor is within this distance and it is within <see cref="ReacquireRadius"/> box widths.
    /// </summary>
    public double ReacquireDistance { get; init; } = 0.45;

    /// <summary>How far (in box widths) a lost track may be taken back by descriptor.</summary>
    public double ReacquireRadius { get; init; } = 3.0;

    /// <summary>Best frames kept per track; their descriptors are the ones a track is decided from.</summary>
    public int BestFrames { get; init; } = 5;

    /// <summary>At most one descriptor every this many frames of a track, unless a clearly better frame arrives.</summary>
    public int DescriptorInterval { get; init; } = 5;

    /// <summary>A frame this much better (ratio) than the track's best so far is a new best and gets a descriptor at once.</summary>
    public double BetterFrameRatio { get; init; } = 1.15;

    /// <exception cref="ArgumentException">A value out of range.</exception>
    internal void Validate()
    {
        if (MinHits < 1 || MaxMissedFrames < 0 || BestFrames < 1 || DescriptorInterval < 1)
            throw new ArgumentException("hits, best frames and the descriptor interval must be at least 1; missed frames at least 0");
        if (MinIoU is <= 0 or > 1) throw new ArgumentException($"MinIoU must be in (0, 1], got {MinIoU}");
        if (MaxGapSeconds <= 0 || MaxDescriptorDistance <= 0 || ReacquireDistance < 0 || ReacquireRadius < 0 || BetterFrameRatio < 1)
            throw new ArgumentException("gap, distances and radius must be positive, the better-frame ratio at least 1");
    }
}
