using System.CommandLine;
using Visage.Cli;
using Visage.Contracts;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Commands;

/// <summary><c>visage detect IMG</c>: boxes, scores and 68 landmarks of every face.</summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "Photo to look at" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var annotate = new Option<string?>("--annotate") { Description = "Write a copy of the photo with boxes and landmarks drawn" };
        var pipeline = new PipelineOptions();
        var command = new Command("detect", "Find faces: box, score and 68 landmarks for each") { image, json, annotate };
        pipeline.AddTo(command, withHead: false);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var path = r.GetValue(image)!;
            var timings = new StageTimings();
            using var analyzer = new FaceAnalyzer(pipeline.Analyzer(r));
            analyzer.Preload(embed: false); // the sessions are made while the photo is decoded
            var img = timings.Measure("decode", () => ImageFiles.Load(pipeline.Decoder(r), path));
            var analysis = analyzer.Detect(img);
            timings.Add(analysis.Timings);

            if (r.GetValue(annotate) is { } outPath)
                ImageEncoder.Save(ImageAnnotator.Draw(img, analysis.Faces.Select(f => new Annotation(f.Box, $"{f.Score:0.00}", true, f.Landmarks))), outPath);
            if (r.GetValue(json))
            {
                JsonOutput.Print(new
                {
                    image = new { path, width = img.Width, height = img.Height },
                    faces = analysis.Faces.Select(f => FaceJson.From(f)),
                    timings = timings.ToDictionary(),
                });
            }
            else
            {
                Console.WriteLine($"{analysis.Faces.Count} face(s) in {path} ({img.Width}x{img.Height})");
                foreach (var (f, i) in analysis.Faces.Select((f, i) => (f, i)))
                    Console.WriteLine($"  #{i + 1}  score {f.Score:0.000}  box x={f.Box.X:0} y={f.Box.Y:0} w={f.Box.Width:0} h={f.Box.Height:0}");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
