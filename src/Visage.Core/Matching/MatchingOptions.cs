namespace Visage.Matching;

/// <summary>How a query face is matched against the gallery.</summary>
public sealed record MatchingOptions
{
    /// <summary>
    /// The default Euclidean threshold, 0.48, calibrated on ../shared/data/faces/ for identification (a stranger
    /// must not be taken for an enrolled person): false accept rate 0.23% of different-person pairs (1 of 440),
    /// true accept rate 80%. The usual 0.6 of dlib's descriptor (face_recognition's <c>tolerance</c>) accepts 1.4%
    /// of different-person pairs, which a gallery multiplies by its size. See <see cref="ThresholdCalibration"/>.
    /// </summary>
    public const float DefaultThreshold = 0.48f;

    /// <summary>The default cosine threshold, 0.06, calibrated the same way (0 of 440 different-person pairs accepted, TAR 86%).</summary>
    public const float DefaultCosineThreshold = 0.06f;

    /// <summary>The default number of neighbours that vote in <see cref="MatchMode.Knn"/>.</summary>
    public const int DefaultK = 5;

    /// <summary>The defaults: Euclidean, nearest face, threshold 0.48.</summary>
    public static MatchingOptions Default { get; } = new();

    private readonly float? _threshold;

    /// <summary>
    /// A candidate is accepted only when its distance is strictly below this value; lower is stricter. In the units
    /// of <see cref="Metric"/>; when not set it is the calibrated default of the metric
    /// (<see cref="DefaultThreshold"/> or <see cref="DefaultCosineThreshold"/>).
    /// </summary>
    public float Threshold
    {
        get => _threshold ?? ThresholdCalibration.For(Metric).Threshold;
        init => _threshold = value;
    }

    /// <summary>The calibration behind <see cref="Threshold"/> when it is the default, or null when the caller set it.</summary>
    public ThresholdCalibration? Calibration => _threshold is null && Enum.IsDefined(Metric) ? ThresholdCalibration.For(Metric) : null;

    /// <summary>Which threshold is in force, for a command's output: the calibrated default and its measured rates, or "set by the caller".</summary>
    public string DescribeThreshold() => Calibration?.Describe() ?? $"{Threshold:0.###} ({Metric.ToString().ToLowerInvariant()}, set by the caller)";

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
