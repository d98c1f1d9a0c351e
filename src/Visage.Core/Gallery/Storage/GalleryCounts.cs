namespace Visage.Gallery.Storage;

/// <summary>Sizes of a gallery, seen from one model id.</summary>
/// <param name="Persons">Every person (with or without faces).</param>
/// <param name="Faces">Faces of the model id asked about.</param>
/// <param name="FacesOfOtherModels">Faces of any other model id: never matched against, so worth a warning.</param>
public sealed record GalleryCounts(long Persons, long Faces, long FacesOfOtherModels);
