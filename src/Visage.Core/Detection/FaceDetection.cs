using Visage.Faces;

namespace Visage.Detection;

/// <summary>One detector hit: a box in image pixels and the detector's confidence.</summary>
/// <param name="Box">Box in image pixels.</param>
/// <param name="Score">Confidence, 0..1.</param>
public readonly record struct FaceDetection(BoundingBox Box, float Score);
