using Visage.Faces;

namespace Visage.Video.Tracking;

/// <summary>One of a track's best frames.</summary>
/// <param name="Frame">When.</param>
/// <param name="Box">Where the face was.</param>
/// <param name="Quality"><see cref="FaceQuality.Score"/> of the detection.</param>
public sealed record TrackSample(FrameStamp Frame, BoundingBox Box, double Quality)
{
    /// <summary>The descriptor of this frame's face, once computed.</summary>
    public float[]? Descriptor { get; internal set; }
}
