namespace Visage.Matching.OpenSet;

/// <summary>Why an answer is what it is.</summary>
public enum OpenSetReason
{
    /// <summary>The nearest person passed the bar and is clearly nearer than anyone else who did.</summary>
    Named,

    /// <summary>No enrolled person is close enough for the operating point: "no enrolled face close enough".</summary>
    NoEnrolledFaceCloseEnough,

    /// <summary>Two persons pass the bar and neither is clearly nearer: "two people too close to tell".</summary>
    TwoPeopleTooCloseToTell,

    /// <summary>Nobody is enrolled.</summary>
    NoOneEnrolled,

    /// <summary>
    /// Named although the person's mean is beyond the bar: the face is one of their enrolled photos again, or a frame
    /// next to it (<see cref="Recognition.Recognizer.SamePhotoDistance"/>).
    /// </summary>
    SameAsAnEnrolledPhoto,
}

/// <summary>A candidate person with its distance and the probability that the face is theirs.</summary>
/// <param name="PersonId">The person.</param>
/// <param name="Distance">Distance from the probe to the person's centroid.</param>
/// <param name="Confidence">Probability, under the fitted model, that the face is this person's.</param>
public readonly record struct ScoredCandidate(long PersonId, float Distance, double Confidence);

/// <summary>The rule's answer for one face.</summary>
/// <param name="PersonId">The person named, or null for unknown.</param>
/// <param name="Distance">Distance to the nearest person's centroid (as in <see cref="ScoredCandidate.Distance"/>); +infinity when nobody is enrolled.</param>
/// <param name="Confidence">
/// Probability that this answer is right, in [0, 1]: for a name, that the face is that person's; for unknown, that
/// the face belongs to nobody enrolled. Of many answers given with confidence 0.9, about 90% are right (measured by
/// <c>visage eval --openset</c>, docs/ACCURACY.md).
/// </param>
/// <param name="Reason">Why.</param>
/// <param name="Bar">The distance the nearest person had to be under to be named (for this gallery, this person's face count and spread, and the operating point).</param>
/// <param name="StrangerProbability">Probability that the face belongs to nobody enrolled.</param>
/// <param name="Candidates">The nearest persons, best first, as many as <see cref="OpenSetOptions.Candidates"/> asks (fewer when fewer were supplied).</param>
public sealed record OpenSetDecision(
    long? PersonId, float Distance, double Confidence, OpenSetReason Reason, float Bar, double StrangerProbability,
    IReadOnlyList<ScoredCandidate> Candidates)
{
    /// <summary>True when a person was named.</summary>
    public bool IsKnown => PersonId is not null;

    /// <summary>The reason in words, e.g. "two people too close to tell".</summary>
    public string Explanation => Explain(Reason);

    /// <summary>A reason in words: "named", "no enrolled face close enough", "two people too close to tell", "no one enrolled", "the same as an enrolled photo".</summary>
    public static string Explain(OpenSetReason reason) => reason switch
    {
        OpenSetReason.Named => "named",
        OpenSetReason.NoEnrolledFaceCloseEnough => "no enrolled face close enough",
        OpenSetReason.TwoPeopleTooCloseToTell => "two people too close to tell",
        OpenSetReason.SameAsAnEnrolledPhoto => "the same as an enrolled photo",
        _ => "no one enrolled",
    };
}
