namespace Visage.Evaluation.OpenSet;

/// <summary>The arithmetic of the open-set report: pooled rates with their spread, the single-threshold oracle, confidence calibration.</summary>
public static class OpenSetMetrics
{
    /// <summary>Events over trials pooled over rounds, with the standard deviation and the 2.5-97.5 percentile range of the per-round rates (rounds without trials are skipped).</summary>
    public static SpreadRate Spread(IReadOnlyList<(int Events, int Trials)> rounds)
    {
        var rates = rounds.Where(r => r.Trials > 0).Select(r => r.Events / (double)r.Trials).Order().ToList();
        int events = rounds.Sum(r => r.Events), trials = rounds.Sum(r => r.Trials);
        if (rates.Count == 0) return new SpreadRate(double.NaN, double.NaN, double.NaN, double.NaN);
        var mean = rates.Average();
        var std = Math.Sqrt(rates.Sum(x => (x - mean) * (x - mean)) / rates.Count);
        return new SpreadRate(events / (double)trials, std, Percentile(rates, 0.025), Percentile(rates, 0.975));
    }

    /// <summary>
    /// The best share of known probes one raw threshold can name while naming at most <paramref name="strangerRate"/>
    /// of the strangers: accept strictly below the k-th smallest stranger distance, k = floor(rate · strangers).
    /// A probe is named when its nearest person is its own and its distance is under the threshold; an infinite
    /// distance (no face) is never named.
    /// </summary>
    public static double OracleNamed(IReadOnlyList<(double Distance, bool Right)> known, IReadOnlyList<double> strangers, double strangerRate)
    {
        if (known.Count == 0) return double.NaN;
        var sorted = strangers.Order().ToList();
        var allowed = (int)Math.Floor(strangerRate * sorted.Count + 1e-9);
        var threshold = allowed < sorted.Count ? sorted[allowed] : double.PositiveInfinity;
        return known.Count(k => k.Right && k.Distance < threshold) / (double)known.Count;
    }

    /// <summary>One raw threshold swept from accepting nothing to accepting everything: (strangers named, known named) at up to <paramref name="points"/> thresholds.</summary>
    public static IReadOnlyList<CurvePoint> OracleCurve(IReadOnlyList<(double Distance, bool Right)> known, IReadOnlyList<double> strangers, int points = 200)
    {
        var all = known.Select(k => k.Distance).Concat(strangers).Where(double.IsFinite).Order().ToList();
        if (all.Count == 0 || known.Count == 0 || strangers.Count == 0) return [];
        var curve = new List<CurvePoint>(points + 1);
        for (var i = 0; i <= points; i++)
        {
            var threshold = all[(int)((all.Count - 1) * (double)i / points)] + 1e-9;
            curve.Add(new CurvePoint(null, known.Count(k => k.Right && k.Distance < threshold) / (double)known.Count,
                strangers.Count(s => s < threshold) / (double)strangers.Count, threshold));
        }
        return curve;
    }

    /// <summary>Expected calibration error and a reliability diagram over ten equal-width confidence bins.</summary>
    public static ConfidenceCalibration Calibration(IReadOnlyList<(double Confidence, bool Right)> answers, int bins = 10)
    {
        var result = new List<ReliabilityBin>(bins);
        double ece = 0;
        for (var b = 0; b < bins; b++)
        {
            double lower = b / (double)bins, upper = (b + 1) / (double)bins;
            var inBin = answers.Where(a => a.Confidence >= lower && (a.Confidence < upper || (b == bins - 1 && a.Confidence <= upper))).ToList();
            if (inBin.Count == 0) { result.Add(new ReliabilityBin(lower, upper, 0, null, null)); continue; }
            var confidence = inBin.Average(a => a.Confidence);
            var accuracy = inBin.Count(a => a.Right) / (double)inBin.Count;
            ece += inBin.Count * Math.Abs(accuracy - confidence);
            result.Add(new ReliabilityBin(lower, upper, inBin.Count, confidence, accuracy));
        }
        return new ConfidenceCalibration(answers.Count, answers.Count == 0 ? double.NaN : ece / answers.Count, result);
    }

    private static double Percentile(List<double> sorted, double p)
    {
        var position = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
