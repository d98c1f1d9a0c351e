namespace Visage.Gallery.Storage;

/// <summary>Sizes of a gallery, seen from one model id.</summary>
/// <param name="Persons">Every person (with or without faces).</param>
/// <param name="Faces">Faces of the model id asked about.</param>
/// <param name="FacesOfOtherModels">Faces of any other model id: never matched against, so worth a warning.</param>
public sealed record GalleryCounts(long Persons, long Faces, long FacesOfOtherModels)
{
    /// <summary>
    /// What to tell a user whose gallery holds faces of other models (enrolled with another embedder, precision,
    /// alignment or head), and how to bring them over; null when there are none.
    /// </summary>
    public string? OtherModelsWarning(string modelId) => FacesOfOtherModels == 0 ? null
        : $"{FacesOfOtherModels} face(s) in the gallery were embedded by another model and are not matched (model in use: {modelId}); " +
          "run 'visage gallery reembed' with the same pipeline options to compute this model's descriptors for them";
}
