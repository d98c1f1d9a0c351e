using Visage.Matching;

namespace Visage.Clustering;

/// <summary>How faces are grouped.</summary>
public enum ClusteringAlgorithm
{
    /// <summary>
    /// Chinese whispers (Biemann 2006) on the graph of faces closer than the threshold, as dlib's
    /// <c>chinese_whispers</c>: each step a random node takes the label most common among its neighbors and itself.
    /// No cluster count to choose; robust to a few wrong edges between two people.
    /// </summary>
    ChineseWhispers,

    /// <summary>
    /// DBSCAN (Ester et al. 1996) with eps = the threshold: a face with at least <see cref="ClusteringOptions.MinPoints"/>
    /// faces within eps (itself included) is a core; clusters are cores connected through each other plus their
    /// neighbors; the rest is noise (unclustered).
    /// </summary>
    Dbscan,
}

/// <summary>Options of <see cref="FaceClusterer"/>; defaults are the recommended settings for plain descriptors.</summary>
public sealed record ClusteringOptions
{
    /// <summary>The algorithm (default Chinese whispers).</summary>
    public ClusteringAlgorithm Algorithm { get; init; } = ClusteringAlgorithm.ChineseWhispers;

    /// <summary>
    /// Faces closer than this are linked (default 0.5, Euclidean: dlib's face clustering example; stricter than the
    /// 0.6 used for verification because one wrong edge can merge two people). Lower is stricter. A projection head
    /// has its own scale: use its calibrated threshold.
    /// </summary>
    public float Threshold { get; init; } = 0.5f;

    /// <summary>The distance (default Euclidean).</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Euclidean;

    /// <summary>Clusters with fewer faces than this are reported as unclustered (default 2: a lone face is no group).</summary>
    public int MinClusterSize { get; init; } = 2;

    /// <summary>Chinese whispers: passes over the graph, each as many random node updates as there are faces (default 100, dlib's).</summary>
    public int Iterations { get; init; } = 100;

    /// <summary>DBSCAN: faces within the threshold, the face itself included, that make a core face (default 2).</summary>
    public int MinPoints { get; init; } = 2;

    /// <summary>Seed of the random node order (default 0): the same faces, options and seed give the same clusters.</summary>
    public int Seed { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!(Threshold > 0) || float.IsInfinity(Threshold)) throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "threshold must be a positive distance");
        if (MinClusterSize < 1) throw new ArgumentOutOfRangeException(nameof(MinClusterSize), MinClusterSize, "min cluster size must be at least 1");
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "iterations must be at least 1");
        if (MinPoints < 1) throw new ArgumentOutOfRangeException(nameof(MinPoints), MinPoints, "min points must be at least 1");
    }
}
