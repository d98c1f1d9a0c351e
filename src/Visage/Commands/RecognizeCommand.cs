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
        var strictness = new Option<string?>("--strictness")
        {
            Description = "How sure a name must be: lenient (5% of strangers named), balanced (1%, the default) or strict (0.1%), or a rate such as 0.005; the bar is set for this gallery",
        };
        var candidates = new Option<int>("--candidates") { Description = "The nearest people listed per face, with distance and confidence", DefaultValueFactory = _ => 3 };
        var mode = new Option<string>("--mode")
        {
            Description = "Decision: openset (the default: a bar set per gallery at --strictness), or for experts with a raw --threshold: nearest face, knn vote, nearest person centroid",
            DefaultValueFactory = _ => "openset",
        };
        mode.AcceptOnlyFromAmong("openset", "nearest", "knn", "centroid");
        var threshold = new Option<float?>("--threshold")
        {
            Description = $"For experts: a face is a known person only when closer than this (lower is stricter; in openset mode, to the person's mean, replacing the gallery's bar; else default {MatchingOptions.DefaultThreshold:0.00})",
        };
        var k = new Option<int>("--k") { Description = "Neighbours that vote in knn mode", DefaultValueFactory = _ => MatchingOptions.DefaultK };
        var annotate = new Option<string?>("--annotate") { Description = "Write a copy of the photo with boxes and names drawn (JPEG, or PNG for .png)" };
        var pipeline = new PipelineOptions();
        var gallery = new GalleryOption();
        var command = new Command("recognize", "Name every face in a photo from the gallery") { image, json, strictness, candidates, mode, threshold, k, annotate };
        pipeline.AddTo(command);
        gallery.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var path = r.GetValue(image)!;
            var defaults = OperatingPoint.Options(r.GetValue(strictness));
            var options = defaults with
            {
                Mode = Enum.Parse<MatchMode>(r.GetValue(mode)!, ignoreCase: true),
                K = r.GetValue(k),
                OpenSet = defaults.OpenSet with { Candidates = r.GetValue(candidates) },
            };
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
                    mode = options.Mode.ToString().ToLowerInvariant(),
                    decision = options.Describe(),
                    threshold = options.Mode == MatchMode.OpenSet && !options.ThresholdIsSet ? (float?)null : options.Threshold,
                    targetFalseAcceptRate = options.Mode == MatchMode.OpenSet && !options.ThresholdIsSet ? options.OpenSet.TargetFalseAcceptRate : (double?)null,
                    modelId = analyzer.ModelId,
                    faces = recognized.Faces.Select(f => RecognizedFaceJson.From(f)).ToList(),
                    timings = timings.ToDictionary(),
                });
            }
            else
            {
                Console.WriteLine($"{recognized.Faces.Count} face(s) in {path}; {options.Describe()}");
                foreach (var (f, m, _) in recognized.Faces)
                {
                    var distance = float.IsFinite(m.Distance) ? $"{m.Distance:0.000} (under {m.Threshold:0.000} names)" : "n/a (empty gallery)";
                    var who = m.Name ?? $"unknown: {m.Explanation}";
                    Console.WriteLine($"  {who,-32} confidence {m.Confidence:0.00}  distance {distance,-24} box x={f.Box.X:0} y={f.Box.Y:0} w={f.Box.Width:0} h={f.Box.Height:0}");
                    if (m.Candidates.Count > 0)
                        Console.WriteLine($"    candidates: {string.Join(", ", m.Candidates.Select(c => $"{c.Name} {c.Distance:0.000} ({c.Confidence:0.00})"))}");
                }
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
