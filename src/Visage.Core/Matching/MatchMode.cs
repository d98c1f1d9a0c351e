namespace Visage.Matching;

/// <summary>How a query face is decided against the gallery (the numbers are stable: new rules are appended).</summary>
public enum MatchMode
{
    /// <summary>The person of the single nearest enrolled face, if it is closer than the threshold.</summary>
    Nearest,

    /// <summary>
    /// A vote among the K nearest enrolled faces: only faces closer than the threshold vote, the person with the most
    /// votes wins, and a tie goes to the person with the smaller best distance.
    /// </summary>
    Knn,

    /// <summary>The person whose mean descriptor (centroid) is nearest, if it is closer than the threshold.</summary>
    Centroid,

    /// <summary>
    /// The default: the open-set rule (<see cref="OpenSet.OpenSetRule"/>) on the nearest persons' centroids, with a bar
    /// set per gallery so that the share of strangers named stays at the chosen operating point
    /// (<see cref="OpenSet.OpenSetOptions.TargetFalseAcceptRate"/>) whatever the number of people enrolled.
    /// </summary>
    OpenSet,
}
