namespace Visage.Matching;

/// <summary>One enrolled face near a query.</summary>
/// <param name="FaceId">The enrolled face.</param>
/// <param name="PersonId">Its person.</param>
/// <param name="PersonName">Its person's name, read in the same search as the distance.</param>
/// <param name="Distance">Its distance to the query.</param>
public readonly record struct Neighbor(long FaceId, long PersonId, string PersonName, float Distance);

/// <summary>An enrolled person near a query: through their mean descriptor, or through their nearest face.</summary>
/// <param name="PersonId">The person.</param>
/// <param name="PersonName">Their name, read in the same search as the distance.</param>
/// <param name="Distance">The distance to the query.</param>
/// <param name="FaceId">The person's nearest face, when the distance is to a face (null through the mean).</param>
public readonly record struct PersonDistance(long PersonId, string PersonName, float Distance, long? FaceId = null);
