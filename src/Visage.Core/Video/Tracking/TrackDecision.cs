namespace Visage.Video.Tracking;

/// <summary>Who a track is, as the gallery's decision says from the track's descriptors.</summary>
/// <param name="Name">The person's name; null for a stranger (unknown).</param>
/// <param name="PersonId">The person's gallery id; null for a stranger.</param>
/// <param name="Confidence">How sure the decision is, 0..1 (the decision's own scale).</param>
/// <param name="Distance">Distance to the person (or, for a stranger, to the nearest person); null when nothing was compared.</param>
public sealed record TrackDecision(string? Name, long? PersonId, double Confidence, double? Distance)
{
    /// <summary>A stranger: no one in the gallery is close enough (or there was nothing to compare).</summary>
    public static TrackDecision Unknown(double? distance = null, double confidence = 0) => new(null, null, confidence, distance);

    /// <summary>True when a person was named.</summary>
    public bool IsKnown => Name is not null;
}
