using Visage.Gallery.Storage;

namespace Visage.Recognition;

/// <summary>The person exists but has no face of the gallery's model to compare with.</summary>
public sealed class PersonNotEnrolledException(long personId, string name, string modelId)
    : GalleryException($"Person {personId} ('{name}') has no face enrolled with model {modelId}.")
{
    /// <summary>The person.</summary>
    public long PersonId { get; } = personId;
}
