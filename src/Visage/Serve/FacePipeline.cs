using Visage.Imaging;
using Visage.Pipeline;
using Visage.Serve.Telemetry;

namespace Visage.Serve;

/// <summary>An image decoded and analyzed.</summary>
public sealed record AnalyzedImage(RgbImage Image, Analysis Analysis);

/// <summary>Decodes and analyzes request images through the <see cref="InferenceGate"/>, timing the decode too.</summary>
public sealed class FacePipeline(FaceAnalyzer analyzer, ImageDecoder decoder, InferenceGate gate, VisageMetrics metrics)
{
    /// <summary>The analyzer (its model id is the gallery's).</summary>
    public FaceAnalyzer Analyzer => analyzer;

    /// <summary>The service's instruments, for the recognitions decided from this pipeline's analyses.</summary>
    public VisageMetrics Metrics => metrics;

    /// <summary>Decodes and analyzes one image (with embeddings when <paramref name="embed"/>).</summary>
    /// <exception cref="ImageDecodeException">The bytes are not a usable image.</exception>
    /// <exception cref="ProblemException">503: too many requests at once.</exception>
    public async Task<AnalyzedImage> AnalyzeAsync(HttpContext context, UploadedImage upload, bool embed)
    {
        var result = await AnalyzeAsync(upload.Bytes, embed, context.RequestAborted);
        metrics.FacesDetected(context, result.Analysis.Faces.Count);
        return result;
    }

    /// <summary>Decodes and analyzes one image outside a request (the Frigate bridge), through the same gate.</summary>
    /// <exception cref="ImageDecodeException">The bytes are not a usable image.</exception>
    /// <exception cref="ProblemException">503: too many analyses at once.</exception>
    public Task<AnalyzedImage> AnalyzeAsync(byte[] bytes, bool embed, CancellationToken cancel) => gate.RunAsync(Pixels(bytes), () =>
    {
        var timings = new StageTimings();
        var image = timings.Measure("decode", () => decoder.Decode(bytes));
        var analysis = embed ? analyzer.Analyze(image) : analyzer.Detect(image);
        timings.Add(analysis.Timings);
        metrics.StagesTimed(timings);
        return new AnalyzedImage(image, analysis with { Timings = timings });
    }, cancel);

    /// <summary>The image's size by its header (what the gate admits it by); bytes that are no image fail here as in the decode.</summary>
    /// <exception cref="ImageDecodeException">Empty, not an image, or a damaged header.</exception>
    private long Pixels(byte[] bytes) => decoder.Identify(bytes).Pixels;

    /// <summary>
    /// The one face an image is about (<see cref="FaceAnalyzer.AnalyzeSubject"/>): part of a bystander at a
    /// portrait's edge is ignored, a group photo is refused.
    /// </summary>
    /// <exception cref="FaceCountException">No face, or several that could each be the subject (422).</exception>
    public async Task<(AnalyzedImage Image, Faces.Face Face)> SingleFaceAsync(HttpContext context, UploadedImage upload)
    {
        var (image, subject) = await gate.RunAsync(Pixels(upload.Bytes), () =>
        {
            var timings = new StageTimings();
            var image = timings.Measure("decode", () => decoder.Decode(upload.Bytes));
            var subject = analyzer.AnalyzeSubject(image);
            timings.Add(subject.Timings);
            metrics.StagesTimed(timings);
            return (image, subject with { Timings = timings });
        }, context.RequestAborted);
        metrics.FacesDetected(context, subject.FacesFound);
        if (subject.Face is not { } face || subject.Ambiguous) throw new FaceCountException(upload.Name, subject.FacesFound);
        return (new AnalyzedImage(image, new Analysis([face], subject.Timings)), face);
    }
}

/// <summary>An image where exactly one face is needed shows none, or several that could each be the subject (422).</summary>
public sealed class FaceCountException(string field, int found)
    : Exception(found == 0 ? $"No face was found in '{field}': one is needed." : $"{found} faces were found in '{field}' where exactly one is needed.")
{
    /// <summary>How many faces were found (0: none).</summary>
    public int Found { get; } = found;
}
