using System.Diagnostics;
using Spectre.Console;
using Visage.Cli;
using Visage.Evaluation;
using Visage.Evaluation.OpenSet;
using Visage.Models;

namespace Visage.Commands;

/// <summary><c>visage eval DIR --openset</c>: the gallery-aware rule on held-out persons (issue 19).</summary>
internal static class OpenSetEval
{
    public static int Run(string dir, EvalVariant variant, EvalSettings settings, OpenSetSettings openSet, bool frames, bool json, string? reportFolder)
    {
        FaceDataset dataset;
        try { dataset = FaceDataset.Load(dir); }
        catch (ArgumentException e) { throw new CliException(ExitCodes.Usage, e.Message); }
        var clock = Stopwatch.StartNew();
        using var models = new ModelRepository(new ModelStore(), log: Console.Error);
        OpenSetReport report;
        try { report = EvalCommand.WithProgress(progress => new OpenSetEvaluator(models).Run(dataset, variant, settings, openSet, frames, progress)); }
        catch (ArgumentException e) { throw new CliException(ExitCodes.Usage, e.Message); }
        Console.Error.WriteLine($"visage: open-set evaluation of {dataset.Photos.Count} photos in {clock.Elapsed.TotalSeconds:0.0} s");

        if (reportFolder is not null)
        {
            var path = OpenSetReportWriter.Write(report, reportFolder, "visage " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            Console.Error.WriteLine($"visage: report written to {path}");
        }
        if (json)
        {
            // A rate over no trials is NaN; print it as "NaN" rather than fail.
            Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, new System.Text.Json.JsonSerializerOptions(JsonOutput.Options)
            {
                NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
            }));
            return ExitCodes.Ok;
        }
        var console = EvalCommand.TableConsole();
        console.WriteLine($"{report.Dataset}: {report.Persons} persons, {report.Photos} photos, {report.PhotosWithoutFace} without a face");
        if (settings.ShuffleLabels) console.WriteLine("labels shuffled (sanity check): almost nobody should be named");
        console.WriteLine($"calibration: {report.RoundModels}");
        foreach (var table in OpenSetTables.All(report)) EvalCommand.Print(console, table);
        return ExitCodes.Ok;
    }
}
