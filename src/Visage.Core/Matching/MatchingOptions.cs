using Visage.Matching.OpenSet;

namespace Visage.Matching;

/// <summary>
/// How a query face is matched against the gallery: by default the open-set rule at 1% of strangers named
/// (<see cref="MatchMode.OpenSet"/>); the older rules with a raw threshold (nearest face, k-NN vote, centroid) stay for experts.
/// </summary>
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

    /// <summary>The defaults: the open-set rule at 1% of strangers named, Euclidean.</summary>
    public static MatchingOptions Default { get; } = new();

    /// <summary>The defaults at another operating point (<see cref="OpenSetOptions.ParseOperatingPoint"/> reads one a user wrote).</summary>
    public static MatchingOptions At(double targetFalseAcceptRate) => new() { OpenSet = OpenSetOptions.Default with { TargetFalseAcceptRate = targetFalseAcceptRate } };

    private readonly float? _threshold;

    /// <summary>
    /// For experts: a candidate is accepted only when its distance is strictly below this value; lower is stricter. In
    /// the units of <see cref="Metric"/>. In <see cref="MatchMode.OpenSet"/> a value set here replaces the gallery's
    /// own bar (a raw distance to the person's centroid, whatever the gallery); in the other modes, when not set, it is
    /// the calibrated default of the metric (<see cref="DefaultThreshold"/> or <see cref="DefaultCosineThreshold"/>).
    /// </summary>
    public float Threshold
    {
        get => _threshold ?? ThresholdCalibration.For(Metric).Threshold;
        init => _threshold = value;
    }

    /// <summary>True when the caller set <see cref="Threshold"/>.</summary>
    public bool ThresholdIsSet => _threshold is not null;

    /// <summary>The calibration behind <see cref="Threshold"/> when it is the default, or null when the caller set it.</summary>
    public ThresholdCalibration? Calibration => _threshold is null && Enum.IsDefined(Metric) ? ThresholdCalibration.For(Metric) : null;

    /// <summary>Which threshold is in force, for a command's output: the calibrated default and its measured rates, or "set by the caller".</summary>
    public string DescribeThreshold() => Calibration?.Describe() ?? $"{Threshold:0.###} ({Metric.ToString().ToLowerInvariant()}, set by the caller)";

    /// <summary>
    /// How the decision is made, for a command's output: the operating point of the open-set rule (or the expert
    /// threshold that replaces it), or the threshold of the other modes.
    /// </summary>
    public string Describe() => Mode != MatchMode.OpenSet ? $"{Mode.ToString().ToLowerInvariant()} match, threshold {DescribeThreshold()}"
        : _threshold is { } t ? $"open-set match, threshold {t:0.###} on the distance to each person's mean (set by the caller)"
        : $"open-set match at {OpenSet.DescribeOperatingPoint()}, the bar set per gallery";

    /// <summary>The decision rule (default <see cref="MatchMode.OpenSet"/>).</summary>
    public MatchMode Mode { get; init; } = MatchMode.OpenSet;

    /// <summary>
    /// The open-set rule's settings: the operating point (<see cref="OpenSetOptions.TargetFalseAcceptRate"/>), the
    /// stranger prior behind every confidence, and how many candidates every answer lists. Used by every mode for the
    /// confidence and the candidates, and by <see cref="MatchMode.OpenSet"/> for the decision; an expert threshold is
    /// <see cref="Threshold"/>.
    /// </summary>
    public OpenSetOptions OpenSet { get; init; } = OpenSetOptions.Default;

    /// <summary>The fitted distance model of the open-set rule (default <see cref="OpenSetModel.Default"/>, fitted on this project's photos for the default descriptor model).</summary>
    public OpenSetModel Model { get; init; } = OpenSetModel.Default;

    /// <summary>The rule's own options: <see cref="OpenSet"/>, with <see cref="Threshold"/> as its expert threshold when the caller set one.</summary>
    public OpenSetOptions RuleOptions => _threshold is { } t ? OpenSet with { Threshold = t } : OpenSet;

    /// <summary>How many nearest faces are considered in <see cref="MatchMode.Knn"/> (default 5, at least 1).</summary>
    public int K { get; init; } = DefaultK;

    /// <summary>The distance used (default <see cref="DistanceMetric.Euclidean"/>).</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Euclidean;

    /// <summary>Checks the values, so a bad configuration fails at start rather than on the first query.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The threshold is negative or not a number, K is below 1, an enum is undefined, the open-set settings are invalid
    /// (<see cref="OpenSetOptions.Validate"/>), or the open-set rule is asked for with the cosine distance (it is fitted on Euclidean distances).
    /// </exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Metric)) throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "unknown distance metric");
        if (float.IsNaN(Threshold) || Threshold < 0)
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "the threshold must be a non-negative number");
        ArgumentOutOfRangeException.ThrowIfLessThan(K, 1, nameof(K));
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "unknown match mode");
        if (Mode == MatchMode.OpenSet && Metric != DistanceMetric.Euclidean)
            throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "the open-set rule is fitted on Euclidean distances: use mode nearest, knn or centroid for cosine");
        ArgumentNullException.ThrowIfNull(Model, nameof(Model));
        OpenSet.Validate();
    }
}
