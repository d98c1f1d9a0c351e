using Visage.Faces;

namespace Visage.Gallery.Storage;

/// <summary>An enrolled face as the store keeps it.</summary>
/// <param name="Id">Store-assigned id, never reused.</param>
/// <param name="PersonId">Whose face it is.</param>
/// <param name="ImageSha256">SHA-256 of the source image file (64 lower-case hex digits).</param>
/// <param name="Box">Detection box in the source image's pixels.</param>
/// <param name="Landmarks">The 68 points in the source image's pixels (kept as float32), when known.</param>
/// <param name="Embedding">The descriptor and the model that produced it.</param>
/// <param name="CreatedUtc">When the face was enrolled (UTC).</param>
/// <param name="Quality">Its quality score for enrollment (0..1), or null for a face enrolled without one (before schema 6, or from a sighting).</param>
public sealed record StoredFace(
    long Id,
    long PersonId,
    string ImageSha256,
    BoundingBox Box,
    FaceLandmarks? Landmarks,
    FaceEmbedding Embedding,
    DateTime CreatedUtc,
    float? Quality = null);
