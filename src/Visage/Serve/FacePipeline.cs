using Visage.Imaging;

namespace Visage.Serve;

/// <summary>An image decoded and analyzed.</summary>
public sealed record AnalyzedImage(RgbImage Image, Analysis Analysis);

/// <summary>Decodes and analyzes request images through the <see cref="InferenceGate"/>, timing the decode too.</summary>
public sealed class FacePipeline(FaceAnalyzer analyzer, ImageDecoder decoder, InferenceGate gate, ServiceMetrics metrics)
{
    /// <summary>The analyzer (its model id is the gallery's).</summary>
    public FaceAnalyzer Analyzer => analyzer;

    /// <summary>Decodes and analyzes one image (with embeddings when <paramref name="embed"/>).</summary>
    /// <exception cref="ImageDecodeException">The bytes are not a usable image.</exception>
    /// <exception cref="ProblemException">503: too many requests at once.</exception>
    public async Task<AnalyzedImage> AnalyzeAsync(HttpContext context, UploadedImage upload, bool embed)
    {
        var result = await gate.RunAsync(() =>
        {
            var timings = new StageTimings();
            var image = timings.Measure("decode", () => decoder.Decode(upload.Bytes));
            var analysis = embed ? analyzer.Analyze(image) : analyzer.Detect(image);
            foreach (var (stage, ms) in analysis.Timings.Stages) timings.Add(stage, ms);
            return new AnalyzedImage(image, analysis with { Timings = timings });
        }, context.RequestAborted);
        metrics.FacesDetected(context, result.Analysis.Faces.Count);
        return result;
    }

    /// <summary>The one face of an image that must show exactly one.</summary>
    /// <exception cref="ProblemException">422: no face, or several.</exception>
    public async Task<(AnalyzedImage Image, Faces.Face Face)> SingleFaceAsync(HttpContext context, UploadedImage upload)
    {
        var analyzed = await AnalyzeAsync(context, upload, embed: true);
        return analyzed.Analysis.Faces.Count switch
        {
            1 => (analyzed, analyzed.Analysis.Faces[0]),
            0 => throw ProblemException.Unprocessable($"No face was found in '{upload.Name}': one is needed."),
            var n => throw ProblemException.Unprocessable($"{n} faces were found in '{upload.Name}' where exactly one is needed."),
        };
    }
}
