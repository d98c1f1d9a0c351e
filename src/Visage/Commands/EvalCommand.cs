using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Visage.Cli;
using Visage.Evaluation;
using Visage.Evaluation.OpenSet;
using Visage.Matching;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Commands;

/// <summary><c>visage eval DIR [--pairs pairs.txt]</c>: verification and identification accuracy on a labeled set.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Labeled photos: one folder per person (LFW layout)" };
        var pairs = new Option<string?>("--pairs") { Description = "LFW pairs.txt (name i j / name1 i name2 j, 1-based); without it balanced pairs are generated, seeded" };
        var compare = new Option<bool>("--compare") { Description = "Also evaluate the alternatives in the same run: cosine, no flip, face-api crop, tiny detector, no fallback, single pass, face-api.js as it ships" };
        var metric = new Option<string>("--metric") { Description = "Distance: euclidean or cosine", DefaultValueFactory = _ => "euclidean" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var report = new Option<string?>("--report") { Description = "Write a Markdown report with ROC and distance plots and a contact sheet of the worst errors to this folder" };
        var seed = new Option<int>("--seed") { Description = "Seed of pair generation, fold dealing and the identification split", DefaultValueFactory = _ => PairSet.DefaultSeed };
        var strangers = new Option<double>("--strangers") { Description = "Share of persons left out of the identification gallery", DefaultValueFactory = _ => IdentificationProtocol.DefaultStrangerShare };
        var shuffle = new Option<bool>("--shuffle-labels") { Description = "Sanity check: shuffle which photo carries which face; results must fall to chance" };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not read or write the analysis cache (analyses/ in the Visage cache folder)" };
        // Issue 19: open-set identification with the gallery-aware rule (OpenSetEval).
        var openSet = new Option<bool>("--openset") { Description = "Open-set identification as people enroll: K faces for G persons, strangers never enrolled, the gallery-aware rule (Euclidean) fitted on other persons; DIR, wrong names, FPIR, confidence calibration" };
        var rounds = new Option<int>("--rounds") { Description = "With --openset: person splits (each fits on half the persons and deals galleries from the other half)", DefaultValueFactory = _ => new OpenSetSettings().Rounds };
        var strangerPrior = new Option<double>("--stranger-prior") { Description = "With --openset: the prior share of strangers behind the confidence (the rule's default 0.5)", DefaultValueFactory = _ => new OpenSetSettings().StrangerPrior };
        var frames = new Option<bool>("--frames") { Description = "With --openset: also compare 1, 3 and 5 descriptors per probe (the photo mirrored and cropped; a full analysis each, cached)" };
        metric.AcceptOnlyFromAmong("euclidean", "cosine");
        var pipeline = new PipelineOptions();
        var command = new Command("eval", "Measure accuracy on a labeled face set: LFW pairs protocol (10-fold), ROC, calibrated threshold, identification")
        {
            dir, pairs, compare, metric, json, report, seed, strangers, shuffle, noCache, openSet, rounds, strangerPrior, frames,
        };
        pipeline.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var settings = new EvalSettings
            {
                Seed = r.GetValue(seed),
                StrangerShare = r.GetValue(strangers),
                ShuffleLabels = r.GetValue(shuffle),
                CacheDirectory = r.GetValue(noCache) ? null : FaceAnalysisCache.DefaultDirectory,
                Imaging = new Imaging.ImagingOptions { MaxPixels = r.GetValue(pipeline.MaxPixels) },
            };
            if (r.GetValue(openSet))
                return OpenSetEval.Run(r.GetValue(dir)!, EvalVariant.For(pipeline.Analyzer(r)), settings,
                    new OpenSetSettings { Seed = settings.Seed, Rounds = r.GetValue(rounds), StrangerPrior = r.GetValue(strangerPrior) }, r.GetValue(frames), r.GetValue(json), r.GetValue(report));
            var (dataset, pairSet) = Load(r.GetValue(dir)!, r.GetValue(pairs), settings.Seed);
            if (r.GetValue(pairs) is null) Console.Error.WriteLine($"visage: no --pairs file: {pairSet.Source}");
            var variants = r.GetValue(compare)
                ? EvalVariant.Comparison()
                : [EvalVariant.For(pipeline.Analyzer(r), r.GetValue(metric) == "cosine" ? DistanceMetric.Cosine : DistanceMetric.Euclidean)];

            var clock = Stopwatch.StartNew();
            using var models = new ModelRepository(new ModelStore(), log: Console.Error);
            var result = WithProgress(progress => new Evaluator(models).Run(dataset, pairSet, variants, settings, progress));
            Console.Error.WriteLine($"visage: evaluated {variants.Count} variant(s) on {dataset.Photos.Count} photos in {clock.Elapsed.TotalSeconds:0.0} s");

            if (r.GetValue(report) is { } folder)
            {
                var path = EvalReportWriter.Write(result, dataset, folder, "visage " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
                Console.Error.WriteLine($"visage: report written to {path}");
            }
            if (r.GetValue(json)) JsonOutput.Print(result);
            else PrintTables(result);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static (FaceDataset, PairSet) Load(string dir, string? pairsPath, int seed)
    {
        var dataset = FaceDataset.Load(dir);
        try
        {
            if (pairsPath is null) return (dataset, PairSet.Generate(dataset, seed));
            if (!File.Exists(pairsPath)) throw new FileNotFoundException($"file not found: {pairsPath}", pairsPath);
            return (dataset, PairSet.Parse(pairsPath, dataset, seed));
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or ArgumentException)
        {
            throw new CliException(ExitCodes.Usage, e.Message);
        }
    }

    /// <summary>A progress bar on stderr when it is a terminal; nothing otherwise (logs stay clean).</summary>
    internal static T WithProgress<T>(Func<IProgress<EvalProgress>?, T> run)
    {
        if (Console.IsErrorRedirected) return run(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T? result = default;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                result = run(new Progress<EvalProgress>(p =>
                {
                    if (!tasks.TryGetValue(p.Variant, out var task)) tasks[p.Variant] = task = ctx.AddTask($"faces: {p.Variant}", maxValue: p.Total);
                    task.Value = p.Done;
                }));
            });
        return result!;
    }

    private static void PrintTables(EvalReport report)
    {
        var console = TableConsole();
        console.WriteLine($"{report.Dataset}: {report.Persons} persons, {report.Photos} photos; pairs: {report.Pairs}");
        if (report.ShuffledLabels) console.WriteLine("labels shuffled (sanity check): results should be at chance");
        foreach (var t in new[] { EvalTables.Verification(report), EvalTables.Identification(report), EvalTables.Stages(report) }) Print(console, t);
        foreach (var v in report.Variants.Where(v => v.PhotosWithoutFace.Count > 0))
            console.WriteLine($"{v.Name}: no face in {string.Join(", ", v.PhotosWithoutFace)}");
        // The slope of the similarity the compatibility APIs report (CompreFace's tanh form, 0.5 at the identification threshold).
        foreach (var v in report.Variants.Where(v => v.SameDistances.Length > 0 && v.DifferentDistances.Length > 0 && v.Metric == "euclidean"))
        {
            console.WriteLine(FormattableString.Invariant(
                $"{v.Name}: similarity slope {SimilarityScale.Fit(v.SameDistances, v.DifferentDistances, MatchingOptions.DefaultThreshold):0.00} at midpoint {MatchingOptions.DefaultThreshold} (maximum likelihood on {v.SameDistances.Length} same and {v.DifferentDistances.Length} different pairs; in use {SimilarityScale.DefaultSlope})"));
            float[] edges = [0, 0.3f, 0.4f, 0.45f, 0.48f, 0.52f, 0.56f, 0.62f, 0.7f, 0.8f, 2];
            foreach (var b in SimilarityScale.Bands(v.SameDistances, v.DifferentDistances, MatchingOptions.DefaultThreshold, SimilarityScale.DefaultSlope, edges))
                console.WriteLine(FormattableString.Invariant($"  distance {b.From:0.00}-{b.To:0.00}: {b.Same,3} same, {b.Different,3} different, observed {b.SameShare:0.00}, similarity {b.Similarity:0.00}"));
        }
    }

    /// <summary>A console on stdout for tables, wide when the output goes to a file.</summary>
    internal static IAnsiConsole TableConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected) console.Profile.Width = 240;
        return console;
    }

    /// <summary>Prints one table.</summary>
    internal static void Print(IAnsiConsole console, TextTable t)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(t.Title)) };
        foreach (var h in t.Headers) table.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var row in t.Rows) table.AddRow(row.Select(Markup.Escape).ToArray());
        console.Write(table);
    }
}
