using Visage.Faces;

namespace Visage.Video.Tracking;

/// <summary>One detected face in one frame, as the tracker takes it.</summary>
/// <param name="Box">Detection box in frame pixels.</param>
/// <param name="Score">Detector confidence, 0..1.</param>
/// <param name="Landmarks">68 points, when the landmark stage ran (they give the pose for the quality score).</param>
/// <param name="Descriptor">
/// The 128-d descriptor when it is already computed; usually null, and computed afterwards only where the tracker
/// says it is due (<see cref="TrackAssignment.DescriptorDue"/>).
/// </param>
public sealed record FaceObservation(BoundingBox Box, double Score, FaceLandmarks? Landmarks = null, float[]? Descriptor = null)
{
    /// <summary>An observation from a face of the core pipeline (its embedding, when present, as the descriptor).</summary>
    public static FaceObservation From(Face face) => new(face.Box, face.Score, face.Landmarks, face.Embedding?.Vector);
}
