namespace Visage.Matching;

/// <summary>One enrolled face near a query.</summary>
/// <param name="FaceId">The enrolled face.</param>
/// <param name="PersonId">Its person.</param>
/// <param name="Distance">Its distance to the query.</param>
public readonly record struct Neighbor(long FaceId, long PersonId, float Distance);
