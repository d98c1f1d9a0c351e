namespace Visage.Matching;

/// <summary>How far apart two face descriptors are.</summary>
public enum DistanceMetric
{
    /// <summary>
    /// Straight-line distance over the raw (not normalized) values: the recognition model's native metric, where
    /// the same person is typically closer than 0.6.
    /// </summary>
    Euclidean,

    /// <summary>1 - cosine similarity: 0 for the same direction, 1 for orthogonal, 2 for opposite vectors.</summary>
    Cosine,
}
