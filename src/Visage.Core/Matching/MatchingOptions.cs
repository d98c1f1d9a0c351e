namespace Visage.Matching;

/// <summary>How a query face is matched against the gallery.</summary>
public sealed record MatchingOptions
{
    /// <summary>
    /// The default threshold, 0.6: the usual same-person cut-off of dlib's ResNet descriptor under Euclidean
    /// distance (face_recognition's <c>tolerance</c>, face-api.js's <c>FaceMatcher</c>). Calibrate it with
    /// <c>visage eval</c> for your data.
    /// </summary>
    public const float DefaultThreshold = 0.6f;

    /// <summary>The default number of neighbours that vote in <see cref="MatchMode.Knn"/>.</summary>
    public const int DefaultK = 5;

    /// <summary>The defaults: Euclidean, nearest face, threshold 0.6.</summary>
    public static MatchingOptions Default { get; } = new();

    /// <summary>
    /// A candidate is accepted only when its distance is strictly below this value; lower is stricter.
    /// In the units of <see cref="Metric"/>: the default 0.6 is a Euclidean value, so set a cosine threshold
    /// (calibrated, not reused) when choosing <see cref="DistanceMetric.Cosine"/>.
    /// </summary>
    public float Threshold { get; init; } = DefaultThreshold;

    /// <summary>The decision rule (default <see cref="MatchMode.Nearest"/>).</summary>
    public MatchMode Mode { get; init; } = MatchMode.Nearest;

    /// <summary>How many nearest faces are considered in <see cref="MatchMode.Knn"/> (default 5, at least 1).</summary>
    public int K { get; init; } = DefaultK;

    /// <summary>The distance used (default <see cref="DistanceMetric.Euclidean"/>).</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Euclidean;

    /// <summary>Checks the values, so a bad configuration fails at start rather than on the first query.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is negative or not a number, K is below 1, or an enum is undefined.</exception>
    public void Validate()
    {
        if (float.IsNaN(Threshold) || Threshold < 0)
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "the threshold must be a non-negative number");
        ArgumentOutOfRangeException.ThrowIfLessThan(K, 1, nameof(K));
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "unknown match mode");
        if (!Enum.IsDefined(Metric)) throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "unknown distance metric");
    }
}
