using System.CommandLine;
using Visage.Cli;
using Visage.Contracts;
using Visage.Pipeline;

namespace Visage.Commands;

/// <summary><c>visage embed IMG</c> or <c>visage embed --chip CHIP.png</c>: 128-d descriptors.</summary>
internal static class EmbedCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "Photo (or, with --chip, a ready 150x150 chip)" };
        var chip = new Option<bool>("--chip") { Description = "The image is a 150x150 chip: describe it as is, with no detection or alignment" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var pipeline = new PipelineOptions();
        var command = new Command("embed", "Compute the 128-d descriptor of every face") { image, chip, json };
        pipeline.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var path = r.GetValue(image)!;
            var timings = new StageTimings();
            var img = timings.Measure("decode", () => ImageFiles.Load(pipeline.Decoder(r), path));
            using var analyzer = new FaceAnalyzer(pipeline.Analyzer(r));
            if (r.GetValue(chip))
            {
                if (img.Width != 150 || img.Height != 150)
                    throw new CliException(ExitCodes.Usage, $"a chip must be 150x150, {path} is {img.Width}x{img.Height}");
                var embedding = timings.Measure("embed", () => analyzer.EmbedChip(img));
                if (r.GetValue(json)) JsonOutput.Print(new { modelId = embedding.ModelId, embedding = embedding.Vector, timings = timings.ToDictionary() });
                else Console.WriteLine(string.Join(' ', embedding.Vector.Select(v => v.ToString("0.000000"))));
                return ExitCodes.Ok;
            }

            var analysis = analyzer.Analyze(img);
            timings.Add(analysis.Timings);
            if (r.GetValue(json))
            {
                JsonOutput.Print(new
                {
                    image = new { path, width = img.Width, height = img.Height },
                    modelId = analyzer.ModelId,
                    faces = analysis.Faces.Select(f => FaceJson.From(f, embedding: true)),
                    timings = timings.ToDictionary(),
                });
            }
            else
            {
                Console.WriteLine($"{analysis.Faces.Count} face(s) in {path}, model {analyzer.ModelId}");
                foreach (var f in analysis.Faces)
                    Console.WriteLine($"  box x={f.Box.X:0} y={f.Box.Y:0} w={f.Box.Width:0} h={f.Box.Height:0}: {string.Join(' ', f.Embedding!.Vector.Take(4).Select(v => v.ToString("0.0000")))} ...");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
