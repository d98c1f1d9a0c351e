using System.Text;

namespace Visage.Evaluation.OpenSet;

/// <summary>Writes <c>--openset --report DIR</c>: <c>openset.md</c> with the tables and the PNG plots.</summary>
public static class OpenSetReportWriter
{
    /// <summary>Writes the report folder (created when missing); returns the Markdown file's path.</summary>
    /// <param name="report">The results.</param>
    /// <param name="directory">Output folder.</param>
    /// <param name="command">The command line that produced the results.</param>
    public static string Write(OpenSetReport report, string directory, string command)
    {
        Directory.CreateDirectory(directory);
        OpenSetPlots.Named(report, Path.Combine(directory, "openset-named.png"));
        OpenSetPlots.StrangersNamed(report, Path.Combine(directory, "openset-strangers.png"));
        OpenSetPlots.OperatingCurves(report, Path.Combine(directory, "openset-operating.png"));
        OpenSetPlots.Reliability(report.Confidence, Path.Combine(directory, "openset-reliability.png"));

        var md = new StringBuilder();
        md.AppendLine($"# Visage open-set evaluation of `{report.Dataset}`").AppendLine();
        md.AppendLine($"Command: `{command}`").AppendLine();
        md.AppendLine($"{report.Persons} persons, {report.Photos} photos ({report.PhotosWithoutFace} without a face). Seed {report.Settings.Seed}.").AppendLine();
        md.AppendLine($"Each of {report.Settings.Rounds} rounds holds out {report.HeldOutPersons} persons, fits the rule's model on the other " +
            $"{report.Persons - report.HeldOutPersons} and deals {report.Settings.DealsPerCell} galleries per cell from the held-out persons only: " +
            $"{report.Strangers} of them are strangers, the others qualify for K when they have more than K photos with a face. " +
            "Rates are pooled over all galleries; ± is the standard deviation of the per-round rates and the brackets hold 95% of them. " +
            "The best single threshold is tuned on the cell's own probes (an oracle no user has).").AppendLine();
        md.AppendLine($"Model spread over the rounds: {report.RoundModels}.").AppendLine();
        foreach (var table in OpenSetTables.All(report)) EvalReportWriter.AppendTable(md, table);
        md.AppendLine("## Plots").AppendLine();
        foreach (var (file, title) in new[] { ("openset-named.png", "known faces named"), ("openset-strangers.png", "strangers named"), ("openset-operating.png", "operating points"), ("openset-reliability.png", "reliability") })
            md.AppendLine($"![{title}]({file})").AppendLine();
        var path = Path.Combine(directory, "openset.md");
        File.WriteAllText(path, md.ToString());
        return path;
    }
}
