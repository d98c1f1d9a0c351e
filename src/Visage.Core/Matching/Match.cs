using Visage.Matching.OpenSet;

namespace Visage.Matching;

/// <summary>
/// The answer for one query face. <see cref="PersonId"/> and <see cref="Name"/> are null when the face is unknown;
/// <see cref="Distance"/> is always the distance to the best candidate, so callers can apply their own policy.
/// </summary>
/// <param name="PersonId">The matched person, or null for unknown.</param>
/// <param name="Name">The matched person's name, or null for unknown.</param>
/// <param name="Distance">
/// Distance to the best candidate (the nearest face, the winner's nearest face in a vote, or the nearest centroid, which
/// is what <see cref="MatchMode.OpenSet"/> measures),
/// also when it was rejected; <see cref="float.PositiveInfinity"/> when the gallery is empty.
/// </param>
/// <param name="Mode">The decision rule used.</param>
/// <param name="Metric">The distance used.</param>
/// <param name="Threshold">
/// The threshold the distance was compared with (accepted when strictly below); for <see cref="MatchMode.OpenSet"/>, the
/// bar the rule set for the nearest person in this gallery at the operating point (<see cref="OpenSetDecision.Bar"/>).
/// </param>
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
    private readonly OpenSetReason? _reason;

    /// <summary>True when the face was matched to a person.</summary>
    public bool IsKnown => PersonId is not null;

    /// <summary>
    /// Probability, in [0, 1], that this answer is right: for a name, that the face is that person's; for unknown, that
    /// it belongs to nobody enrolled (the open-set model's posterior, whichever rule decided; docs/ACCURACY.md measures
    /// that of the answers given 0.9, about 90% are right). 0 until the recognizer weighs the answer.
    /// </summary>
    public double Confidence { get; init; }

    /// <summary>
    /// Why the answer is what it is. When not set: <see cref="OpenSetReason.Named"/> for a name,
    /// <see cref="OpenSetReason.NoOneEnrolled"/> for an empty gallery, else <see cref="OpenSetReason.NoEnrolledFaceCloseEnough"/>.
    /// </summary>
    public OpenSetReason Reason
    {
        get => _reason ?? (IsKnown ? OpenSetReason.Named : float.IsFinite(Distance) ? OpenSetReason.NoEnrolledFaceCloseEnough : OpenSetReason.NoOneEnrolled);
        init => _reason = value;
    }

    /// <summary>The reason in words (<see cref="OpenSetDecision.Explain"/>).</summary>
    public string Explanation => OpenSetDecision.Explain(Reason);

    /// <summary>The persons nearest the face, most probable first, as many as asked for (<see cref="OpenSetOptions.Candidates"/>); persons a rejection vetoes for this face are left out.</summary>
    public IReadOnlyList<MatchCandidate> Candidates
    {
        get;
        init => field = new CandidateList(value);
    } = CandidateList.None;

    /// <summary>A list equal to another with the same candidates in the same order, so that two answers compare by value.</summary>
    private sealed class CandidateList(IEnumerable<MatchCandidate> items) : System.Collections.ObjectModel.ReadOnlyCollection<MatchCandidate>([.. items])
    {
        public static readonly CandidateList None = new([]);

        public override bool Equals(object? obj) => obj is CandidateList other && this.SequenceEqual(other);

        public override int GetHashCode() => Count == 0 ? 0 : HashCode.Combine(Count, this[0]);
    }
}

/// <summary>One of the persons nearest a face, as an answer lists them.</summary>
/// <param name="PersonId">The person.</param>
/// <param name="Name">Their name.</param>
/// <param name="Distance">Euclidean distance from the face to the person's mean descriptor.</param>
/// <param name="Confidence">Probability, under the open-set model, that the face is theirs.</param>
public readonly record struct MatchCandidate(long PersonId, string Name, float Distance, double Confidence);
