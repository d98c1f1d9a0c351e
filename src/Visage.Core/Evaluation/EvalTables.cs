using System.Globalization;
using Visage.Matching;

namespace Visage.Evaluation;

/// <summary>A table as text cells: the one layout the terminal and the Markdown report both print.</summary>
/// <param name="Title">What the table shows.</param>
/// <param name="Headers">Column headers.</param>
/// <param name="Rows">Cells, one array per row.</param>
public sealed record TextTable(string Title, IReadOnlyList<string> Headers, IReadOnlyList<string[]> Rows);

/// <summary>The tables of an <see cref="EvalReport"/>.</summary>
public static class EvalTables
{
    /// <summary>The verification table: one row per variant.</summary>
    public static TextTable Verification(EvalReport report) => new(
        $"Verification: {report.PairCount} pairs, {report.Folds}-fold cross-validation",
        ["variant", "no face (photos/pairs)", "accuracy", "strict accuracy", "AUC", "EER", "TAR@FAR 1e-2", "TAR@FAR 1e-3", "threshold (FAR)", "open-set threshold (FAR, TAR)"],
        report.Variants.Select(v =>
        {
            var r = v.Verification;
            return new[]
            {
                v.Name, $"{v.PhotosWithoutFace.Count}/{r.PairsWithoutFace}", PlusMinus(r.Accuracy, r.AccuracyStd), PlusMinus(r.StrictAccuracy, r.StrictAccuracyStd),
                F(r.Auc, 4), F(r.EqualErrorRate, 4), F(r.TarAtFar1e2, 4), F(r.TarAtFar1e3, 4), $"{F(r.Threshold, 3)} ({F(r.ThresholdFar, 4)})", $"{F(r.OpenSetThreshold, 3)} ({F(r.OpenSetFar, 4)}, {F(r.OpenSetTar, 4)})",
            };
        }).ToList());

    /// <summary>The identification table: rank-1/5 and, per decision rule, correct identifications / strangers rejected (strict in brackets).</summary>
    public static TextTable Identification(EvalReport report)
    {
        var first = report.Variants[0].Identification;
        return new TextTable(
            $"Identification: {first.GalleryPersons} persons enrolled ({first.GalleryFaces} faces), {first.Strangers} strangers; {first.KnownProbes} known and {first.StrangerProbes} stranger probes",
            ["variant", "rank-1", "rank-5", "open-set threshold", .. Modes.Select(m => $"{Name(m)}: identified / strangers rejected")],
            report.Variants.Select(v =>
            {
                var r = v.Identification;
                var cells = new List<string> { v.Name, F(r.Rank1, 4), F(r.Rank5, 4), F(r.Threshold, 3) };
                foreach (var m in Modes)
                {
                    var o = r.Modes.First(x => x.Mode == m);
                    cells.Add($"{F(o.CorrectIdentificationRate, 4)} / {F(o.StrangerRejectionRate, 4)} ({F(o.StrictStrangerRejectionRate, 4)})");
                }
                return cells.ToArray();
            }).ToList());
    }

    /// <summary>Which detection stage found each variant's subject faces.</summary>
    public static TextTable Stages(EvalReport report) => new(
        "Detection: which stage found the subject face of each photo",
        ["variant", "photos without face", "stages"],
        report.Variants.Select(v => new[] { v.Name, v.PhotosWithoutFace.Count.ToString(CultureInfo.InvariantCulture), string.Join(", ", v.Stages.Select(s => $"{s.Key} {s.Value}")) }).ToList());

    private static readonly MatchMode[] Modes = [MatchMode.Nearest, MatchMode.Knn, MatchMode.Centroid];

    private static string Name(MatchMode m) => m switch { MatchMode.Knn => "k-NN", _ => m.ToString().ToLowerInvariant() };

    /// <summary>A number with fixed decimals (invariant culture); "-" for NaN.</summary>
    public static string F(double v, int decimals) => double.IsNaN(v) ? "-" : v.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string PlusMinus(double mean, double std) => $"{F(mean, 4)} ± {F(std, 4)}";
}
