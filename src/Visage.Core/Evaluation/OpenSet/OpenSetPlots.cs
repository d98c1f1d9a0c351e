using ScottPlot;

namespace Visage.Evaluation.OpenSet;

/// <summary>PNG plots of an open-set evaluation, drawn like <see cref="EvalPlots"/>.</summary>
public static class OpenSetPlots
{
    private const double MinRate = 1e-3;

    /// <summary>Share named (DIR) against persons enrolled, one line per K, with the spread over rounds and the best single threshold dashed.</summary>
    public static void Named(OpenSetReport report, string path) =>
        AgainstGallery(report, path, c => c.Named, c => c.OracleNamedAtTarget, "known faces named correctly (DIR)",
            $"Known faces named at the default (dashed: best single threshold at FPIR {report.Settings.TargetFalseAcceptRate:0.##%})");

    /// <summary>Share of strangers named (FPIR) against persons enrolled, one line per K, with the target and the 1.5% limit.</summary>
    public static void StrangersNamed(OpenSetReport report, string path) =>
        AgainstGallery(report, path, c => c.StrangersNamed, null, "strangers named (FPIR)",
            "Strangers named at the default (dashed: the target; dotted: 1.5%)", report.Settings.TargetFalseAcceptRate);

    /// <summary>DIR against FPIR (log) as the operating point moves, for every K with all persons enrolled; thin lines: one raw threshold swept.</summary>
    public static void OperatingCurves(OpenSetReport report, string path)
    {
        PlotFont.Install();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var cell in report.Cells.Where(c => c.Gallery == OpenSetDealer.All))
        {
            var color = palette.GetColor(i++);
            var oracle = plot.Add.ScatterLine(cell.OracleCurve.Select(p => Log(p.StrangersNamed)).ToArray(), cell.OracleCurve.Select(p => p.Named).ToArray(), color.WithAlpha(0.5));
            oracle.LineWidth = 1;
            var rule = plot.Add.Scatter(cell.Curve.Select(p => Log(p.StrangersNamed)).ToArray(), cell.Curve.Select(p => p.Named).ToArray(), color);
            rule.LineWidth = 2;
            rule.MarkerSize = 7;
            rule.LegendText = $"K = {cell.FacesLabel}, G = {cell.GalleryLabel}";
        }
        EvalPlots.LogRateAxis(plot);
        plot.Axes.SetLimits(Math.Log10(MinRate), 0, 0.5, 1.01);
        plot.Title("The rule at targets 0.1% to 10% (markers); one raw threshold swept (thin)");
        plot.XLabel("strangers named (FPIR, log)");
        plot.YLabel("known faces named (DIR)");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, 900, 600);
    }

    /// <summary>Reliability diagram: right share against mean confidence per bin, with the diagonal.</summary>
    public static void Reliability(ConfidenceCalibration calibration, string path)
    {
        PlotFont.Install();
        var plot = new Plot();
        var bins = calibration.Bins.Where(b => b.Count > 0).ToList();
        var diagonal = plot.Add.ScatterLine(new double[] { 0, 1 }, new double[] { 0, 1 }, Colors.Gray);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "perfectly calibrated";
        var points = plot.Add.Scatter(bins.Select(b => b.MeanConfidence!.Value).ToArray(), bins.Select(b => b.Accuracy!.Value).ToArray(), Colors.Blue);
        points.MarkerSize = 8;
        points.LineWidth = 2;
        points.LegendText = $"answers per bin ({calibration.Answers} in all), ECE {calibration.ExpectedCalibrationError:0.0000}";
        foreach (var b in bins) plot.Add.Text(b.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), b.MeanConfidence!.Value, b.Accuracy!.Value - 0.04);
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.Title("Of the answers given with confidence c, the share right");
        plot.XLabel("mean confidence in the bin");
        plot.YLabel("share right");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 700, 650);
    }

    private static void AgainstGallery(OpenSetReport report, string path, Func<OpenSetCell, SpreadRate> rate, Func<OpenSetCell, double>? reference, string yLabel, string title, double? target = null)
    {
        PlotFont.Install();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var group in report.Cells.Where(c => c.Deals > 0).GroupBy(c => c.Faces))
        {
            var color = palette.GetColor(i++);
            var cells = group.OrderBy(c => c.MeanGallery).ToList();
            var xs = cells.Select(c => c.MeanGallery).ToArray();
            var line = plot.Add.Scatter(xs, cells.Select(c => rate(c).Value).ToArray(), color);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = $"K = {cells[0].FacesLabel}";
            var bars = plot.Add.ErrorBar(xs, cells.Select(c => rate(c).Value).ToArray(), cells.Select(c => rate(c).Std).ToArray());
            bars.Color = color;
            if (reference is null) continue;
            var oracle = plot.Add.ScatterLine(xs, cells.Select(reference).ToArray(), color);
            oracle.LinePattern = LinePattern.Dashed;
        }
        if (target is { } t)
        {
            plot.Add.HorizontalLine(t, 2, Colors.Black, LinePattern.Dashed);
            plot.Add.HorizontalLine(0.015, 1, Colors.Black, LinePattern.Dotted);
        }
        plot.Title(title);
        plot.XLabel("persons enrolled (G)");
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 900, 600);
    }

    private static double Log(double rate) => Math.Log10(Math.Max(MinRate, rate));
}
