namespace Visage.Evaluation;

/// <summary>
/// The LFW protocol's k-fold accuracy: for each fold the threshold with the best accuracy on the other folds is
/// applied to that fold. Two accountings: usual (a pair with a photo lacking a face is decided "not the same",
/// so it is right when the persons differ) and strict (every such pair is an error).
/// </summary>
public static class CrossValidation
{
    /// <summary>Runs the protocol.</summary>
    /// <param name="distances">Per pair; +infinity for a pair that could not be scored.</param>
    /// <param name="same">Per pair: same person.</param>
    /// <param name="folds">Per pair: its fold, 0 to <paramref name="foldCount"/> - 1.</param>
    /// <param name="foldCount">Number of folds (at least 2).</param>
    /// <exception cref="ArgumentException">Lengths differ, a fold index is out of range, or a training set lacks one kind of pair.</exception>
    public static CrossValidationResult Run(ReadOnlySpan<float> distances, ReadOnlySpan<bool> same, ReadOnlySpan<int> folds, int foldCount)
    {
        if (distances.Length != same.Length || same.Length != folds.Length) throw new ArgumentException("distances, labels and folds differ in length");
        ArgumentOutOfRangeException.ThrowIfLessThan(foldCount, 2);
        foreach (var f in folds)
            if (f < 0 || f >= foldCount) throw new ArgumentException($"fold {f} is outside 0..{foldCount - 1}");

        var thresholds = new float[foldCount];
        var usual = new double[foldCount];
        var strict = new double[foldCount];
        var trainD = new List<float>(distances.Length);
        var trainS = new List<bool>(distances.Length);
        for (var k = 0; k < foldCount; k++)
        {
            trainD.Clear();
            trainS.Clear();
            for (var i = 0; i < distances.Length; i++)
                if (folds[i] != k) { trainD.Add(distances[i]); trainS.Add(same[i]); }
            thresholds[k] = new VerificationMetrics(trainD.ToArray(), trainS.ToArray()).BestThreshold().Threshold;

            int n = 0, right = 0, rightScored = 0;
            for (var i = 0; i < distances.Length; i++)
            {
                if (folds[i] != k) continue;
                n++;
                if (distances[i] < thresholds[k] != same[i]) continue;
                right++;
                if (float.IsFinite(distances[i])) rightScored++;
            }
            usual[k] = n == 0 ? double.NaN : right / (double)n;
            strict[k] = n == 0 ? double.NaN : rightScored / (double)n;
        }
        return new CrossValidationResult(thresholds, usual, strict);
    }
}

/// <summary>Per-fold thresholds and accuracies of <see cref="CrossValidation.Run"/>.</summary>
/// <param name="Thresholds">The threshold chosen on the other folds, per fold.</param>
/// <param name="Accuracies">Usual accounting, per fold.</param>
/// <param name="StrictAccuracies">Strict accounting, per fold.</param>
public sealed record CrossValidationResult(float[] Thresholds, double[] Accuracies, double[] StrictAccuracies)
{
    /// <summary>Mean of <see cref="Accuracies"/>.</summary>
    public double MeanAccuracy => Stats.Mean(Accuracies);

    /// <summary>Standard deviation of <see cref="Accuracies"/> (population, as the LFW tables report).</summary>
    public double StdAccuracy => Stats.Std(Accuracies);

    /// <summary>Mean of <see cref="StrictAccuracies"/>.</summary>
    public double MeanStrictAccuracy => Stats.Mean(StrictAccuracies);

    /// <summary>Standard deviation of <see cref="StrictAccuracies"/>.</summary>
    public double StdStrictAccuracy => Stats.Std(StrictAccuracies);

    /// <summary>Mean of the fold thresholds.</summary>
    public double MeanThreshold => Stats.Mean(Array.ConvertAll(Thresholds, t => (double)t));
}

/// <summary>Mean and population standard deviation.</summary>
internal static class Stats
{
    public static double Mean(IReadOnlyList<double> v)
    {
        double s = 0;
        foreach (var x in v) s += x;
        return s / v.Count;
    }

    public static double Std(IReadOnlyList<double> v)
    {
        var m = Mean(v);
        double s = 0;
        foreach (var x in v) s += (x - m) * (x - m);
        return Math.Sqrt(s / v.Count);
    }
}
