using Visage.Alignment;
using Visage.Detection;
using Visage.Embedding;
using Visage.Matching;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Evaluation;

/// <summary>One configuration evaluated: a pipeline and a distance.</summary>
/// <param name="Name">Short name used in tables and file names.</param>
/// <param name="Description">What differs, in words.</param>
/// <param name="Options">The pipeline.</param>
/// <param name="Metric">The distance.</param>
public sealed record EvalVariant(string Name, string Description, FaceAnalyzerOptions Options, DistanceMetric Metric)
{
    /// <summary>
    /// The pipeline that made the enrolled side's descriptors (each pair's first photo, identification's gallery) when
    /// it is not <see cref="Options"/>: a gallery enrolled before the pipeline changed, probed after. Null: the same.
    /// </summary>
    public FaceAnalyzerOptions? EnrolledWith { get; init; }

    /// <summary>The embedding space of the variant (<see cref="FaceAnalyzerOptions.ModelId"/>).</summary>
    public string ModelId => Options.ModelId();

    /// <summary>Identifies the pipeline's output (everything but the distance): the cache key.</summary>
    public string PipelineKey => Hashing.Sha256(System.Text.Encoding.UTF8.GetBytes($"{FaceAnalyzer.ResultsVersion}|{ModelId}|{Options}"))[..20];

    /// <summary>The variant for a pipeline as configured (the default when <paramref name="options"/> is the default).</summary>
    public static EvalVariant For(FaceAnalyzerOptions options, DistanceMetric metric = DistanceMetric.Euclidean) =>
        new("visage", "the pipeline as configured", options, metric);

    /// <summary>
    /// The comparison run by <c>visage eval --compare</c>: the default pipeline, then one change at a time (distance,
    /// flip averaging, alignment, detector, each detection improvement), and face-api.js as it ships.
    /// </summary>
    public static IReadOnlyList<EvalVariant> Comparison()
    {
        var d = new FaceAnalyzerOptions();
        var fp32Embedder = d.Embedding with { Precision = ModelVariant.Fp32 };
        return
        [
            new("visage", "default: thorough SSD detection, dlib chip + flip, Euclidean", d, DistanceMetric.Euclidean),
            new("cosine", "default pipeline, cosine distance", d, DistanceMetric.Cosine),
            new("fp32", "every network in fp32 (the default is int8)",
                d with { Precision = ModelVariant.Fp32, Embedding = fp32Embedder }, DistanceMetric.Euclidean),
            new("fp32-embedder", "the recognition net in fp32 (int8 SSD)", d with { Embedding = fp32Embedder }, DistanceMetric.Euclidean),
            new("int8-vs-fp32-gallery", "int8 descriptors against a gallery the fp32 net enrolled (an upgraded server)", d, DistanceMetric.Euclidean)
            {
                EnrolledWith = d with { Embedding = fp32Embedder },
            },
            new("no-flip", "dlib chip without flip averaging", d with { Embedding = d.Embedding with { FlipAverage = false } }, DistanceMetric.Euclidean),
            new("faceapi-crop", "face-api.js's square crop instead of the dlib chip (no flip)",
                d with { Alignment = new AlignmentOptions { Mode = AlignmentMode.FaceApi }, Embedding = d.Embedding with { FlipAverage = false } }, DistanceMetric.Euclidean),
            new("tiny", "Tiny Face Detector instead of SSD (thorough)", d with { Detection = d.Detection with { Detector = TinyFaceDetector.DetectorName } }, DistanceMetric.Euclidean),
            new("no-fallback", "default without the fallback chain", d with { Finder = d.Finder with { Fallback = false } }, DistanceMetric.Euclidean),
            new("single-pass", "one SSD pass as face-api.js detects, dlib chip + flip", d with { Mode = DetectionMode.FaceApi }, DistanceMetric.Euclidean),
            new("face-api.js", "face-api.js as it ships: one SSD pass, its crop, no flip", FaceAnalyzerOptions.FaceApiParity, DistanceMetric.Euclidean),
        ];
    }
}
