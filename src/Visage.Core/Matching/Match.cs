namespace Visage.Matching;

/// <summary>
/// The answer for one query face. <see cref="PersonId"/> and <see cref="Name"/> are null when the face is unknown;
/// <see cref="Distance"/> is always the distance to the best candidate, so callers can apply their own policy.
/// </summary>
/// <param name="PersonId">The matched person, or null for unknown.</param>
/// <param name="Name">The matched person's name, or null for unknown.</param>
/// <param name="Distance">
/// Distance to the best candidate (the nearest face, the winner's nearest face in a vote, or the nearest centroid),
/// also when it was rejected; <see cref="float.PositiveInfinity"/> when the gallery is empty.
/// </param>
/// <param name="Mode">The decision rule used.</param>
/// <param name="Metric">The distance used.</param>
/// <param name="Threshold">The threshold the distance was compared with (accepted when strictly below).</param>
/// <param name="Votes">In <see cref="MatchMode.Knn"/>, the votes of the winner (0 when unknown); null in other modes.</param>
/// <param name="FaceId">The enrolled face behind <see cref="Distance"/> (null in centroid mode and for an empty gallery).</param>
/// <param name="VetoedPersonId">
/// The person the rule would have named but a rejection vetoed ("that was not me": the probe is nearer to a descriptor
/// rejected for them than to any of their faces); null when nothing was vetoed.
/// </param>
public sealed record Match(
    long? PersonId,
    string? Name,
    float Distance,
    MatchMode Mode,
    DistanceMetric Metric,
    float Threshold,
    int? Votes = null,
    long? FaceId = null,
    long? VetoedPersonId = null)
{
    /// <summary>True when the face was matched to a person.</summary>
    public bool IsKnown => PersonId is not null;
}
