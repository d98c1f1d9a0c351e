namespace Visage.Gallery.Storage;

/// <summary>Receives one stored descriptor while a store streams them (the span is only valid during the call).</summary>
/// <param name="faceId">The face.</param>
/// <param name="personId">Its person.</param>
/// <param name="personName">Its person's name.</param>
/// <param name="vector">The descriptor's values; copy them to keep them.</param>
public delegate void FaceVectorVisitor(long faceId, long personId, string personName, ReadOnlySpan<float> vector);
