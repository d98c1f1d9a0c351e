namespace Visage.Evaluation.OpenSet;

/// <summary>The tables of an <see cref="OpenSetReport"/>, for the terminal and the Markdown report alike.</summary>
public static class OpenSetTables
{
    /// <summary>Every table, in the order the terminal and the report print them.</summary>
    public static IReadOnlyList<TextTable> All(OpenSetReport report) =>
        [Cells(report), Curves(report), .. report.Frames.Count > 0 ? [Frames(report)] : Array.Empty<TextTable>(), Confidence(report)];

    /// <summary>Every cell at the default operating point, with the single-threshold oracle and the former default (nearest face at a fixed threshold) beside it.</summary>
    public static TextTable Cells(OpenSetReport report) => new(
        $"Open-set identification on held-out persons at the default operating point ({Percent(report.Settings.TargetFalseAcceptRate)} of strangers named); " +
        $"{report.Settings.Rounds} rounds x {report.Settings.DealsPerCell} galleries per cell, {report.HeldOutPersons} persons held out per round, {report.Strangers} of them strangers",
        ["K faces", "G persons", "galleries", "known / stranger probes", "named (DIR) ± std [95% of rounds]", "wrong name", "strangers named (FPIR) ± std [95% of rounds]", "too close",
            $"best single threshold: named at FPIR {Percent(report.Settings.TargetFalseAcceptRate)} / at the rule's FPIR", $"former default, nearest face at {report.Settings.FixedThreshold:0.00}: named / strangers named"],
        report.Cells.Select(c => new[]
        {
            c.FacesLabel, c.GalleryLabel, c.Deals.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{c.KnownProbes} / {c.StrangerProbes}",
            Spread(c.Named), F(c.Wrong.Value), Spread(c.StrangersNamed), F(c.TooClose),
            $"{F(c.OracleNamedAtTarget)} / {F(c.OracleNamedAtSameRate)}", $"{F(c.FixedNamed)} / {F(c.FixedStrangersNamed)}",
        }).ToList());

    /// <summary>The rule along its operating points, for the "half" cell and each K with all persons.</summary>
    public static TextTable Curves(OpenSetReport report) => new(
        "Operating points: named / strangers named, G = every qualifying held-out person",
        ["K faces", .. report.Settings.OperatingPoints.Select(a => $"target {Percent(a)}")],
        report.Cells.Where(c => c.Gallery == OpenSetDealer.All)
            .Select(c => new[] { c.FacesLabel }.Concat(c.Curve.Select(p => $"{F(p.Named)} / {F(p.StrangersNamed)}")).ToArray()).ToList());

    /// <summary>Several descriptors per probe in the "half" cell.</summary>
    public static TextTable Frames(OpenSetReport report) => new(
        "Several descriptors per probe (the photo, then mirrored, then cropped), \"half\" cell, default operating point",
        ["descriptors", "named ± std", "wrong name", "strangers named ± std"],
        report.Frames.Select(f => new[] { f.Descriptors.ToString(System.Globalization.CultureInfo.InvariantCulture), Spread(f.Named), F(f.Wrong.Value), Spread(f.StrangersNamed) }).ToList());

    /// <summary>The reliability diagram as numbers, for every answer and for the "half" cell.</summary>
    public static TextTable Confidence(OpenSetReport report) => new(
        $"Confidence: expected calibration error {F(report.Confidence.ExpectedCalibrationError)} over {report.Confidence.Answers} answers of every cell, " +
        $"{F(report.TargetConfidence.ExpectedCalibrationError)} over the {report.TargetConfidence.Answers} of the \"half\" cell",
        ["confidence", "answers", "mean confidence", "right"],
        report.Confidence.Bins.Select(b => new[] { $"{b.Lower:0.0}-{b.Upper:0.0}", b.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), F(b.MeanConfidence ?? double.NaN), F(b.Accuracy ?? double.NaN) }).ToList());

    private static string Spread(SpreadRate r) => $"{F(r.Value)} ± {F(r.Std)} [{F(r.Low)}, {F(r.High)}]";

    private static string F(double v) => EvalTables.F(v, 4);

    private static string Percent(double rate) => $"{rate * 100:0.##}%";
}
