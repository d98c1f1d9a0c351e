namespace Visage.Faces;

/// <summary>One face found in an image.</summary>
/// <param name="Box">Detection box in image pixels.</param>
/// <param name="Score">Detector confidence, 0..1.</param>
/// <param name="Landmarks">68 points, when the landmark stage ran.</param>
/// <param name="Embedding">Descriptor, when the embedding stage ran.</param>
/// <param name="Stage">Which detection pass found the face (<c>ssd</c>, <c>ssd-border</c>, <c>tiny</c>, ...).</param>
public sealed record Face(BoundingBox Box, float Score, FaceLandmarks? Landmarks = null, FaceEmbedding? Embedding = null, string Stage = "ssd");
