namespace Visage.Gallery.Storage;

/// <summary>The outcome of adding a face.</summary>
/// <param name="Face">The stored face: the new one, or the one already enrolled from the same image for the same person and model.</param>
/// <param name="PersonName">The name of the face's person.</param>
/// <param name="Created">False when the face was already enrolled (enrolling is idempotent per person, image and model).</param>
public sealed record EnrolledFace(StoredFace Face, string PersonName, bool Created);
