namespace Visage.Matching.OpenSet;

/// <summary>One enrolled person near the probe, as the gallery search reports it (<see cref="GallerySummary.Candidate"/> fills it).</summary>
/// <param name="PersonId">The person.</param>
/// <param name="Distance">Euclidean distance from the probe descriptor (with several, their mean: <see cref="ProbeDescriptors.Average"/>) to the person's centroid.</param>
/// <param name="FaceCount">Faces enrolled for the person.</param>
/// <param name="Spread">Mean squared distance of the person's faces to their centroid (0 for a single face).</param>
public readonly record struct PersonCandidate(long PersonId, float Distance, int FaceCount, float Spread);
