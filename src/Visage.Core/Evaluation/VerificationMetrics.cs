namespace Visage.Evaluation;

/// <summary>
/// Verification metrics over scored pairs: a pair is accepted as "same person" when its distance is strictly below
/// the threshold. A pair that cannot be scored (a photo without a face) has distance +infinity: never accepted,
/// which is the usual LFW accounting. All methods sort once (in the constructor) and then sweep.
/// </summary>
public sealed class VerificationMetrics
{
    private readonly float[] _distances;   // ascending
    private readonly bool[] _same;         // in the same order

    /// <summary>Scores pairs.</summary>
    /// <exception cref="ArgumentException">The spans differ in length, a distance is NaN, or either kind of pair is missing.</exception>
    public VerificationMetrics(ReadOnlySpan<float> distances, ReadOnlySpan<bool> same)
    {
        if (distances.Length != same.Length) throw new ArgumentException("distances and labels differ in length");
        _distances = distances.ToArray();
        _same = same.ToArray();
        foreach (var d in _distances)
            if (float.IsNaN(d)) throw new ArgumentException("a distance is NaN");
        Array.Sort(_distances, _same);
        foreach (var s in _same)
            if (s) SameCount++;
        DifferentCount = _same.Length - SameCount;
        if (SameCount == 0 || DifferentCount == 0) throw new ArgumentException("need at least one same-person and one different-person pair");
    }

    /// <summary>Number of same-person pairs.</summary>
    public int SameCount { get; }

    /// <summary>Number of different-person pairs.</summary>
    public int DifferentCount { get; }

    /// <summary>
    /// The ROC curve, from accepting nothing (0, 0) upward: one point per distinct finite distance, whose threshold
    /// lies halfway to the next distinct distance. Pairs at +infinity are never accepted, so the curve may end short of (1, 1).
    /// </summary>
    public IReadOnlyList<RocPoint> Roc()
    {
        var points = new List<RocPoint> { new(_distances[0] > 0 ? _distances[0] / 2 : _distances[0], 0, 0) };
        int sameAccepted = 0, differentAccepted = 0;
        for (var i = 0; i < _distances.Length && float.IsFinite(_distances[i]);)
        {
            var value = _distances[i];
            for (; i < _distances.Length && _distances[i] == value; i++)
                if (_same[i]) sameAccepted++; else differentAccepted++;
            var next = i < _distances.Length && float.IsFinite(_distances[i]) ? _distances[i] : value + Math.Max(1e-3f, Math.Abs(value) * 1e-3f);
            points.Add(new RocPoint(value + (next - value) / 2, differentAccepted / (double)DifferentCount, sameAccepted / (double)SameCount));
        }
        return points;
    }

    /// <summary>
    /// Area under the ROC curve: the probability that a random same-person pair is closer than a random
    /// different-person pair, ties counting one half (Mann-Whitney U over n_same x n_different).
    /// </summary>
    public double Auc()
    {
        double wins = 0;
        var differentBelow = 0;
        for (var i = 0; i < _distances.Length;)
        {
            int j = i, same = 0, different = 0;
            for (; j < _distances.Length && _distances[j] == _distances[i]; j++)
                if (_same[j]) same++; else different++;
            wins += same * (DifferentCount - differentBelow - different + 0.5 * different);
            differentBelow += different;
            i = j;
        }
        return wins / ((double)SameCount * DifferentCount);
    }

    /// <summary>
    /// Equal error rate: where the false accept rate equals the false reject rate (1 - TAR), interpolated linearly
    /// between the two ROC points around the crossing.
    /// </summary>
    public double EqualErrorRate()
    {
        var roc = Roc();
        double farPrev = 0, frrPrev = 1;
        foreach (var p in roc)
        {
            double far = p.FalseAcceptRate, frr = 1 - p.TrueAcceptRate;
            if (far >= frr)
            {
                var denominator = (far - farPrev) - (frr - frrPrev);
                var alpha = denominator == 0 ? 0 : (frrPrev - farPrev) / denominator;
                return farPrev + alpha * (far - farPrev);
            }
            (farPrev, frrPrev) = (far, frr);
        }
        // Never crossed: the unscorable same pairs keep FRR above every FAR reached; report where the sweep ended.
        return (farPrev + frrPrev) / 2;
    }

    /// <summary>The highest true accept rate at a false accept rate of at most <paramref name="far"/>.</summary>
    public double TarAtFar(double far)
    {
        double best = 0;
        foreach (var p in Roc())
            if (p.FalseAcceptRate <= far && p.TrueAcceptRate > best) best = p.TrueAcceptRate;
        return best;
    }

    /// <summary>
    /// The threshold with the highest accuracy and that accuracy. When several thresholds tie, the median of them,
    /// so the choice sits inside the best range rather than on its edge.
    /// </summary>
    public (float Threshold, double Accuracy) BestThreshold() => Best(p => Correct(p) / (double)_distances.Length);

    /// <summary>
    /// The threshold with the highest <see cref="BalancedAccuracy"/> and that accuracy (ties: the median, as in
    /// <see cref="BestThreshold"/>). For sets with far more different-person than same-person pairs, such as every
    /// pair among a group of photos.
    /// </summary>
    public (float Threshold, double Accuracy) BestBalancedThreshold() => Best(p => (p.TrueAcceptRate + 1 - p.FalseAcceptRate) / 2);

    /// <summary>Accuracy as if there were as many same-person as different-person pairs: the mean of TAR and 1 - FAR.</summary>
    public double BalancedAccuracy(float threshold) => (TrueAcceptRate(threshold) + 1 - FalseAcceptRate(threshold)) / 2;

    private (float Threshold, double Score) Best(Func<RocPoint, double> score)
    {
        var roc = Roc();
        var best = double.NegativeInfinity;
        var ties = new List<int>();
        for (var i = 0; i < roc.Count; i++)
        {
            var value = score(roc[i]);
            if (value > best + 1e-12) { best = value; ties.Clear(); }
            if (Math.Abs(value - best) <= 1e-12) ties.Add(i);
        }
        return (roc[ties[ties.Count / 2]].Threshold, best);
    }

    /// <summary>Share of pairs decided correctly at a threshold.</summary>
    public double Accuracy(float threshold)
    {
        var correct = 0;
        for (var i = 0; i < _distances.Length; i++)
            if (_distances[i] < threshold == _same[i]) correct++;
        return correct / (double)_distances.Length;
    }

    /// <summary>Share of different-person pairs accepted at a threshold.</summary>
    public double FalseAcceptRate(float threshold) => AcceptedShare(threshold, same: false);

    /// <summary>Share of same-person pairs accepted at a threshold.</summary>
    public double TrueAcceptRate(float threshold) => AcceptedShare(threshold, same: true);

    private double AcceptedShare(float threshold, bool same)
    {
        var accepted = 0;
        for (var i = 0; i < _distances.Length && _distances[i] < threshold; i++)
            if (_same[i] == same) accepted++;
        return accepted / (double)(same ? SameCount : DifferentCount);
    }

    private int Correct(RocPoint p) =>
        (int)Math.Round(p.TrueAcceptRate * SameCount) + DifferentCount - (int)Math.Round(p.FalseAcceptRate * DifferentCount);
}
