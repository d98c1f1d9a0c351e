using System.CommandLine;
using Visage.Cli;
using Visage.Contracts;
using Visage.Imaging;
using Visage.Matching;
using Visage.Pipeline;
using Visage.Recognition;

namespace Visage.Commands;

/// <summary><c>visage recognize IMG</c>: every face with the name of an enrolled person, or unknown.</summary>
internal static class RecognizeCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "Photo to look at" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var mode = new Option<string>("--mode") { Description = "Decision: nearest face, knn vote, or nearest person centroid", DefaultValueFactory = _ => "nearest" };
        mode.AcceptOnlyFromAmong("nearest", "knn", "centroid");
        var threshold = new Option<float?>("--threshold")
        {
            Description = $"A face is a known person only when closer than this (lower is stricter; default {MatchingOptions.DefaultThreshold:0.00}, calibrated to reject strangers)",
        };
        var k = new Option<int>("--k") { Description = "Neighbours that vote in knn mode", DefaultValueFactory = _ => MatchingOptions.DefaultK };
        var annotate = new Option<string?>("--annotate") { Description = "Write a copy of the photo with boxes and names drawn (JPEG, or PNG for .png)" };
        var pipeline = new PipelineOptions();
        var gallery = new GalleryOption();
        var command = new Command("recognize", "Name every face in a photo from the gallery") { image, json, mode, threshold, k, annotate };
        pipeline.AddTo(command);
        gallery.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var path = r.GetValue(image)!;
            var options = new MatchingOptions { Mode = Enum.Parse<MatchMode>(r.GetValue(mode)!, ignoreCase: true), K = r.GetValue(k) };
            if (r.GetValue(threshold) is { } given) options = options with { Threshold = given };
            options.Validate();
            var timings = new StageTimings();
            using var analyzer = new FaceAnalyzer(pipeline.Analyzer(r));
            analyzer.Preload(); // the sessions are made while the photo is decoded
            var img = timings.Measure("decode", () => ImageFiles.Load(pipeline.Decoder(r), path));
            using var faces = gallery.Open(r, analyzer.ModelId);
            var recognized = Recognizer.Recognize(analyzer, img, faces, options);
            timings.Add(recognized.Timings);

            if (r.GetValue(annotate) is { } outPath)
                ImageEncoder.Save(ImageAnnotator.Draw(img, recognized.Faces.Select(f => new Annotation(f.Face.Box, f.Match.Name ?? "unknown", f.Match.IsKnown))), outPath);
            if (r.GetValue(json))
            {
                JsonOutput.Print(new
                {
                    image = new { path, width = img.Width, height = img.Height },
                    threshold = options.Threshold,
                    thresholdSource = options.DescribeThreshold(),
                    mode = options.Mode.ToString().ToLowerInvariant(),
                    modelId = analyzer.ModelId,
                    faces = recognized.Faces.Select(f => RecognizedFaceJson.From(f)).ToList(),
                    timings = timings.ToDictionary(),
                });
            }
            else
            {
                Console.WriteLine($"{recognized.Faces.Count} face(s) in {path}; {options.Mode.ToString().ToLowerInvariant()} match, threshold {options.DescribeThreshold()}");
                foreach (var (f, m) in recognized.Faces)
                {
                    var distance = float.IsFinite(m.Distance) ? $"{m.Distance:0.000}" : "n/a (empty gallery)";
                    Console.WriteLine($"  {m.Name ?? "unknown",-24} distance {distance,-8} box x={f.Box.X:0} y={f.Box.Y:0} w={f.Box.Width:0} h={f.Box.Height:0}");
                }
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
