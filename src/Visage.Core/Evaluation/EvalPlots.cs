using ScottPlot;

namespace Visage.Evaluation;

/// <summary>PNG plots of an evaluation: ROC curves of all variants, and same/different distance histograms per variant.</summary>
public static class EvalPlots
{
    private const double MinFar = 1e-3;

    /// <summary>
    /// ROC curves (true accept rate against false accept rate on a log axis from 1e-3) of every variant in one plot.
    /// A FAR of 0 is drawn at 1e-3: with a few hundred different-person pairs, the resolution ends there.
    /// </summary>
    public static void Roc(IReadOnlyList<VariantReport> variants, string path)
    {
        PlotFont.Install();
        var plot = new Plot();
        foreach (var v in variants)
        {
            var xs = new double[v.Roc.Count];
            var ys = new double[v.Roc.Count];
            for (var i = 0; i < xs.Length; i++)
            {
                xs[i] = Math.Log10(Math.Max(MinFar, v.Roc[i].FalseAcceptRate));
                ys[i] = v.Roc[i].TrueAcceptRate;
            }
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = $"{v.Name} (AUC {v.Verification.Auc:0.0000})";
            line.LineWidth = 2;
        }
        LogRateAxis(plot);
        plot.Axes.SetLimits(Math.Log10(MinFar), 0, 0, 1.01);
        plot.Title("ROC: same-person pairs accepted vs different-person pairs accepted");
        plot.XLabel("false accept rate (log)");
        plot.YLabel("true accept rate");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, 900, 600);
    }

    /// <summary>Labels a bottom axis that holds log10 of a rate from 0.001 to 1 (also used by the open-set plots).</summary>
    internal static void LogRateAxis(Plot plot)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (p, label) in new[] { (-3.0, "0.001"), (-2.0, "0.01"), (-1.0, "0.1"), (0.0, "1") }) ticks.AddMajor(p, label);
        plot.Axes.Bottom.TickGenerator = ticks;
    }

    /// <summary>Histograms of same-person and different-person distances of one variant, with its calibrated threshold.</summary>
    public static void Distances(VariantReport v, string path)
    {
        PlotFont.Install();
        var plot = new Plot();
        var all = v.SameDistances.Concat(v.DifferentDistances).Select(d => (double)d).ToList();
        double lo = all.Count > 0 ? all.Min() : 0, hi = all.Count > 0 ? all.Max() : 1;
        if (hi <= lo) hi = lo + 1;
        var legend = new List<LegendItem>();
        foreach (var (values, name, color) in new[] { (v.SameDistances, "same person", Colors.Green), (v.DifferentDistances, "different persons", Colors.Red) })
        {
            var hist = ScottPlot.Statistics.Histogram.WithBinCount(40, lo, hi);
            hist.AddRange(values.Select(d => (double)d));
            plot.Add.Histogram(hist, color.WithAlpha(0.55));
            legend.Add(new LegendItem { LabelText = $"{name} ({values.Length})", FillColor = color.WithAlpha(0.55) });
        }
        plot.Add.VerticalLine(v.Verification.Threshold, 2, Colors.Black, LinePattern.Dashed);
        legend.Add(new LegendItem { LabelText = $"best-accuracy threshold {v.Verification.Threshold:0.000}", LineColor = Colors.Black, LineWidth = 2, LinePattern = LinePattern.Dashed });
        plot.Add.VerticalLine(v.Verification.OpenSetThreshold, 2, Colors.Blue, LinePattern.Dotted);
        legend.Add(new LegendItem { LabelText = $"open-set threshold {v.Verification.OpenSetThreshold:0.000}", LineColor = Colors.Blue, LineWidth = 2, LinePattern = LinePattern.Dotted });
        plot.Title($"{v.Name}: {v.Metric} distances of pairs where both faces were found");
        plot.XLabel($"{v.Metric} distance");
        plot.YLabel("pairs");
        plot.ShowLegend(legend, ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 900, 500);
    }
}
