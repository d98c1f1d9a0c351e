using System.CommandLine;
using Visage.Cli;
using Visage.Matching;
using Visage.Pipeline;
using Visage.Recognition;

namespace Visage.Commands;

/// <summary><c>visage verify A B</c>: are the faces in two photos the same person?</summary>
internal static class VerifyCommand
{
    /// <summary>One pair is a verification: the threshold with the best accuracy on balanced pairs.</summary>
    private static readonly ThresholdCalibration Calibration = ThresholdCalibration.For(DistanceMetric.Euclidean, ThresholdUse.Verification);

    public static Command Create()
    {
        var first = new Argument<string>("a") { Description = "First photo (one face)" };
        var second = new Argument<string>("b") { Description = "Second photo (one face)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var largest = new Option<bool>("--largest") { Description = "When a photo has several faces, use the largest instead of failing" };
        var threshold = new Option<float?>("--threshold")
        {
            Description = $"Same person when the distance is below this (lower is stricter; default {Calibration.Threshold:0.00}, calibrated for verification)",
        };
        var pipeline = new PipelineOptions();
        var command = new Command("verify", "Decide whether two photos show the same person") { first, second, json, largest, threshold };
        pipeline.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var decoder = pipeline.Decoder(r);
            using var analyzer = new FaceAnalyzer(pipeline.Analyzer(r));
            analyzer.Preload(); // the sessions are made while the first photo is decoded
            var timings = new StageTimings();
            var faces = new[] { r.GetValue(first)!, r.GetValue(second)! }.Select(path =>
            {
                var image = timings.Measure("decode", () => ImageFiles.Load(decoder, path));
                var analysis = analyzer.AnalyzeSubject(image);
                timings.Add(analysis.Timings);
                return ImageFiles.Subject(analysis, path, r.GetValue(largest));
            }).ToList();

            Verification v;
            try { v = Recognizer.Verify(faces[0].Embedding!, faces[1].Embedding!, r.GetValue(threshold)); }
            catch (ArgumentOutOfRangeException e) { throw new CliException(ExitCodes.Usage, e.Message.Split('\n')[0].Split(" (Parameter")[0]); }
            if (r.GetValue(json))
                JsonOutput.Print(new { distance = Math.Round(v.Distance, 6), threshold = v.Threshold, thresholdSource = v.ThresholdSource, same = v.Same, metric = "euclidean", modelId = analyzer.ModelId, timings = timings.ToDictionary() });
            else
            {
                Console.WriteLine($"{(v.Same ? "same person" : "different people")}: distance {v.Distance:0.000} {(v.Same ? "<" : ">=")} threshold {v.Threshold:0.000}");
                Console.WriteLine($"threshold: {v.ThresholdSource}");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
