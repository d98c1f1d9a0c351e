namespace Visage.Matching;

/// <summary>What a threshold is for: one comparison, or a search of a gallery where strangers must be turned away.</summary>
public enum ThresholdUse
{
    /// <summary>
    /// A gallery search (recognize): every enrolled face is a chance for a stranger to be taken for someone, so the
    /// threshold is set where strangers are rejected (the <see cref="MatchingOptions"/> default).
    /// </summary>
    Identification,

    /// <summary>One pair (verify): the threshold with the best accuracy on balanced pairs.</summary>
    Verification,
}

/// <summary>
/// A default threshold and what it was measured to do, so that a command can say which threshold it used and how far
/// to trust it. Every number comes from <c>visage eval</c> on ../shared/data/faces/ (47 persons, 218 photos, its
/// 880 pairs; docs/ACCURACY.md), default pipeline (thorough SSD detection, dlib chip + flip).
/// </summary>
/// <param name="Threshold">Accept a pair (or a match) when the distance is strictly below this.</param>
/// <param name="Metric">The distance it applies to.</param>
/// <param name="Use">What it was chosen for.</param>
/// <param name="FalseAcceptRate">Share of different-person pairs accepted at it.</param>
/// <param name="TrueAcceptRate">Share of same-person pairs accepted at it.</param>
/// <param name="How">How it was chosen, in a few words.</param>
public sealed record ThresholdCalibration(float Threshold, DistanceMetric Metric, ThresholdUse Use, double FalseAcceptRate, double TrueAcceptRate, string How)
{
    /// <summary>Where the numbers were measured.</summary>
    public const string Dataset = "../shared/data/faces (880 pairs)";

    /// <summary>The command that measured them.</summary>
    public const string Command = "visage eval ../shared/data/faces --pairs ../shared/data/faces/pairs.txt --compare";

    // Identification: the open-set threshold (best mean of identified and rejected, nearest face, over five seeded
    // splits) came out at 0.477 (Euclidean) and 0.058 (cosine); rounded. Verification: best accuracy on all pairs at
    // 0.619 (10-fold thresholds 0.615 +/- 0.008) and 0.092; rounded.
    private static readonly ThresholdCalibration[] All =
    [
        new(0.48f, DistanceMetric.Euclidean, ThresholdUse.Identification, 1 / 440.0, 0.798, "open-set calibration: strangers rejected"),
        new(0.06f, DistanceMetric.Cosine, ThresholdUse.Identification, 0 / 440.0, 0.864, "open-set calibration: strangers rejected"),
        new(0.62f, DistanceMetric.Euclidean, ThresholdUse.Verification, 7 / 440.0, 0.998, "best accuracy on balanced pairs (0.991)"),
        new(0.09f, DistanceMetric.Cosine, ThresholdUse.Verification, 5 / 440.0, 0.993, "best accuracy on balanced pairs (0.991)"),
    ];

    /// <summary>The calibrated default for a metric and use.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined metric or use.</exception>
    public static ThresholdCalibration For(DistanceMetric metric, ThresholdUse use = ThresholdUse.Identification)
    {
        foreach (var c in All)
            if (c.Metric == metric && c.Use == use) return c;
        throw new ArgumentOutOfRangeException(nameof(metric), $"no calibration for {metric} / {use}");
    }

    /// <summary>One line for a command's output, e.g. <c>0.48 (euclidean, calibrated for identification: FAR 0.23%, TAR 79.8% on ...)</c>.</summary>
    public string Describe() =>
        $"{Threshold:0.00} ({Metric.ToString().ToLowerInvariant()}, calibrated for {Use.ToString().ToLowerInvariant()}: " +
        $"FAR {FalseAcceptRate * 100:0.00}%, TAR {TrueAcceptRate * 100:0.0}% on {Dataset})";
}
