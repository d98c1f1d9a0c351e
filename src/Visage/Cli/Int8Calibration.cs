using Visage.Commands;
using Visage.Detection;
using Visage.Embedding;
using Visage.Imaging;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Cli;

/// <summary>
/// Measures the activation ranges of the int8 networks on a set of photos (<c>visage models calibrate</c>): the
/// detectors see every photo whole, as their first pass does; the recognition net sees the dlib chip of every face
/// the default pipeline finds, and its mirror image (flip averaging runs both). The ranges are written as one JSON
/// file per network, the form the library ships in <c>src/Visage.Core/Models/Calibration/</c>.
/// </summary>
internal static class Int8Calibration
{
    public static void Run(IReadOnlyList<string> folders, string outputDirectory, TextWriter log)
    {
        var photos = folders.SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories))
            .Where(f => ImageFiles.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToList();
        var decoder = new ImageDecoder();
        var store = new ModelStore();
        store.EnsureAvailable(log);
        Directory.CreateDirectory(outputDirectory);
        using var analyzer = new FaceAnalyzer(new FaceAnalyzerOptions { Precision = ModelVariant.Fp32 }); // the faces fp32 finds: int8 is what is being calibrated

        IEnumerable<(float[], long[])> Whole(ModelDescriptor model) => photos.Select(path =>
        {
            var image = ImageFiles.Load(decoder, path);
            var size = model.Input.Size;
            return (SquareBatch.Tensor(model.Input, image, new PixelRect(0, 0, image.Width, image.Height)), new long[] { 1, 3, size, size });
        });
        IEnumerable<(float[], long[])> Chips(ModelDescriptor model) => photos.SelectMany(path =>
        {
            var image = ImageFiles.Load(decoder, path);
            return analyzer.Detect(image).Faces.SelectMany(face =>
            {
                var chip = analyzer.Chip(image, face);
                return new[] { chip, chip.FlipHorizontal() }.Select(c =>
                    (SquareBatch.Tensor(model.Input, c, new PixelRect(0, 0, c.Width, c.Height)), new long[] { 1, 3, model.Input.Size, model.Input.Size }));
            }).ToList();
        });

        foreach (var (model, inputs) in new[]
                 {
                     (SsdMobileNetV1Detector.Fp32, Whole(SsdMobileNetV1Detector.Fp32)),
                     (TinyFaceDetector.Fp32, Whole(TinyFaceDetector.Fp32)),
                     (FaceRecognitionNet.Fp32, Chips(FaceRecognitionNet.Fp32)),
                 })
        {
            var source = (TfjsSource)model.Source;
            var graph = source.Build(TfjsWeights.Load(store.ManifestPath(source.Net)));
            var ranges = ActivationRanges.Measure(graph, QdqQuantizer.TensorsToQuantize(graph), inputs);
            var path = Path.Combine(outputDirectory, $"{model.Name}.json");
            File.WriteAllText(path, ActivationRanges.ToJson(ranges));
            log.WriteLine($"{model.Name}: {ranges.Count} tensors from {photos.Count} photos -> {path}");
        }
    }
}
