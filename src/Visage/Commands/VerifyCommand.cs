using System.CommandLine;
using Visage.Cli;
using Visage.Matching;
using Visage.Pipeline;

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
            var timings = new StageTimings();
            var faces = new[] { r.GetValue(first)!, r.GetValue(second)! }.Select(path =>
            {
                var image = timings.Measure("decode", () => ImageFiles.Load(decoder, path));
                var analysis = analyzer.AnalyzeSubject(image);
                timings.Add(analysis.Timings);
                return ImageFiles.Subject(analysis, path, r.GetValue(largest));
            }).ToList();

            var limit = r.GetValue(threshold) ?? Calibration.Threshold;
            var described = r.GetValue(threshold) is null ? Calibration.Describe() : $"{limit:0.###} (euclidean, set by the caller)";
            var distance = FaceDistance.Euclidean(faces[0].Embedding!.Vector, faces[1].Embedding!.Vector);
            var same = distance < limit;
            if (r.GetValue(json))
                JsonOutput.Print(new { distance = Math.Round(distance, 6), threshold = limit, thresholdSource = described, same, metric = "euclidean", modelId = analyzer.ModelId, timings = timings.ToDictionary() });
            else
            {
                Console.WriteLine($"{(same ? "same person" : "different people")}: distance {distance:0.000} {(same ? "<" : ">=")} threshold {limit:0.000}");
                Console.WriteLine($"threshold: {described}");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
