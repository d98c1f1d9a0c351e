using System.Text;

namespace Visage.Evaluation;

/// <summary>Writes <c>--report DIR</c>: <c>report.md</c> with the tables, ROC and distance plots, and a contact sheet of the first variant's worst errors.</summary>
public static class EvalReportWriter
{
    /// <summary>Writes the report folder (created when missing); returns the Markdown file's path.</summary>
    /// <param name="report">The results.</param>
    /// <param name="dataset">The dataset they came from (for the contact sheet's photos).</param>
    /// <param name="directory">Output folder.</param>
    /// <param name="command">The command line that produced the results, quoted in the report.</param>
    public static string Write(EvalReport report, FaceDataset dataset, string directory, string command)
    {
        Directory.CreateDirectory(directory);
        EvalPlots.Roc(report.Variants, Path.Combine(directory, "roc.png"));
        foreach (var v in report.Variants) EvalPlots.Distances(v, Path.Combine(directory, $"distances-{v.Name}.png"));
        var first = report.Variants[0];
        var sheet = ContactSheet.Write(dataset, first, Path.Combine(directory, $"errors-{first.Name}.png"));

        var md = new StringBuilder();
        md.AppendLine($"# Visage evaluation of `{report.Dataset}`").AppendLine();
        md.AppendLine($"Command: `{command}`").AppendLine();
        md.AppendLine($"{report.Persons} persons, {report.Photos} photos. Pairs: {report.Pairs}. Seed {report.Seed}.");
        if (report.ShuffledLabels) md.AppendLine().AppendLine("**Labels shuffled** (sanity check): every figure should be at chance level.");
        md.AppendLine().AppendLine("Accuracy is the mean over folds of the accuracy at the threshold chosen on the other folds. Usual accounting: a pair with a photo lacking a face counts as decided \"not the same\"; strict: every such pair is an error. The threshold column is the best-accuracy threshold on all pairs; the open-set threshold maximizes the mean of correct identifications and rejected strangers (nearest face) over five other seeded splits, and is the one the identification table uses. Identification figures: rank-1/rank-5 closed-set; per rule, share of known probes named correctly / share of strangers rejected (strict accounting in brackets).").AppendLine();
        foreach (var table in new[] { EvalTables.Verification(report), EvalTables.Identification(report), EvalTables.Stages(report) }) AppendTable(md, table);

        md.AppendLine("## Photos without a face").AppendLine();
        foreach (var v in report.Variants)
            md.AppendLine($"- {v.Name}: {(v.PhotosWithoutFace.Count == 0 ? "none" : string.Join(", ", v.PhotosWithoutFace))}");
        md.AppendLine().AppendLine("## Plots").AppendLine().AppendLine("![ROC curves](roc.png)").AppendLine();
        foreach (var v in report.Variants) md.AppendLine($"![{v.Name} distances](distances-{v.Name}.png)").AppendLine();

        md.AppendLine($"## Worst errors of {first.Name} at threshold {EvalTables.F(first.Verification.Threshold, 3)}").AppendLine();
        foreach (var (kind, pairs) in new[] { ("False accepts", first.WorstFalseAccepts), ("False rejects", first.WorstFalseRejects) })
        {
            md.AppendLine($"{kind}: {(pairs.Count == 0 ? "none" : "")}");
            foreach (var p in pairs) md.AppendLine($"- {p.A} vs {p.B}: {EvalTables.F(p.Distance, 3)}");
            md.AppendLine();
        }
        if (sheet) md.AppendLine($"![worst errors](errors-{first.Name}.png)").AppendLine();
        var path = Path.Combine(directory, "report.md");
        File.WriteAllText(path, md.ToString());
        return path;
    }

    /// <summary>A Markdown table.</summary>
    public static void AppendTable(StringBuilder md, TextTable table)
    {
        md.AppendLine($"## {table.Title}").AppendLine();
        md.AppendLine("| " + string.Join(" | ", table.Headers) + " |");
        md.AppendLine("|" + string.Concat(Enumerable.Repeat(" --- |", table.Headers.Count)));
        foreach (var row in table.Rows) md.AppendLine("| " + string.Join(" | ", row) + " |");
        md.AppendLine();
    }
}
