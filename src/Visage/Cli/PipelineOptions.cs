using System.CommandLine;
using Visage.Alignment;
using Visage.Detection;
using Visage.Embedding;
using Visage.Imaging;
using Visage.Landmarks;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Cli;

/// <summary>The options every command that looks at faces shares, and how they become <see cref="FaceAnalyzerOptions"/>.</summary>
public sealed class PipelineOptions
{
    public Option<string> Detector { get; } = new("--detector")
    {
        Description = "Face detector: ssd (accurate) or tiny (fast)",
        DefaultValueFactory = _ => new DetectionOptions().Detector,
    };

    public Option<float> MinScore { get; } = new("--min-score")
    {
        Description = "Drop detections scoring at or below this (0..1)",
        DefaultValueFactory = _ => 0.5f,
    };

    public Option<double> MinFace { get; } = new("--min-face")
    {
        Description = "Drop faces smaller than this many pixels on the shorter side",
        DefaultValueFactory = _ => 0,
    };

    public Option<string> Align { get; } = new("--align")
    {
        Description = "Chip alignment: dlib (similarity transform, default) or faceapi (face-api.js's square crop, for parity)",
        DefaultValueFactory = _ => "dlib",
    };

    public Option<string> Landmarks { get; } = new("--landmarks")
    {
        Description = "Landmark net: full or tiny",
        DefaultValueFactory = _ => new LandmarkOptions().Net,
    };

    public Option<bool> NoFlip { get; } = new("--no-flip")
    {
        Description = "Do not average the descriptors of each chip and its mirror image",
    };

    /// <summary>The environment variable that sets the default of <c>--precision</c> (for the CLI and <c>serve</c> alike).</summary>
    public const string PrecisionVariable = "VISAGE_PRECISION";

    private static readonly string[] Precisions = ["fp32", "int8"];

    public Option<string> Precision { get; } = new("--precision")
    {
        Description = $"Arithmetic of the SSD detector and the recognition net: int8 (fp32's faces and accuracy in about half the time) or fp32 (face-api.js's) (default ${PrecisionVariable}, else int8); a gallery enrolled in one recognizes the other's descriptors",
        DefaultValueFactory = _ => FromEnvironment(PrecisionVariable, "int8"),
    };

    private static string FromEnvironment(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value.ToLowerInvariant() : fallback;

    public Option<bool> NoTiles { get; } = new("--no-tiles")
    {
        Description = "Run the detector on the whole photo only, not also on tiles: faster (a 640x480 frame with the tiny detector is one pass instead of five), but small faces in large photos are missed",
    };

    public Option<long> MaxPixels { get; } = new("--max-pixels")
    {
        Description = "Refuse images with more pixels than this, before decoding them",
        DefaultValueFactory = _ => ImagingOptions.DefaultMaxPixels,
    };

    private bool _withHead;

    public Option<string?> Head { get; } = new("--head")
    {
        Description = "Projection head file (from 'visage train-head') applied to every descriptor; its vectors get their own model id",
    };

    /// <summary>Adds the options to a command (<paramref name="withHead"/>: also <c>--head</c>).</summary>
    public void AddTo(Command command, bool withHead = true)
    {
        _withHead = withHead;
        if (withHead) command.Add(Head);
        Detector.AcceptOnlyFromAmong([.. VisageModels.Registry.Names<IFaceDetector>()]);
        Align.AcceptOnlyFromAmong("dlib", "faceapi");
        Landmarks.AcceptOnlyFromAmong([.. VisageModels.Registry.Names<FaceLandmark68Net>()]);
        Precision.AcceptOnlyFromAmong(Precisions);
        foreach (var o in new Option[] { Detector, MinScore, MinFace, Align, Landmarks, NoFlip, NoTiles, Precision, MaxPixels }) command.Add(o);
    }

    /// <summary>The analyzer options the user asked for; <c>--align faceapi</c> also turns flip averaging off, as face-api.js does.</summary>
    /// <exception cref="CliException">
    /// <c>VISAGE_PRECISION</c> names no precision (the parser checks only a value given on the command line).
    /// </exception>
    public FaceAnalyzerOptions Analyzer(ParseResult r)
    {
        var precision = Variant(r.GetValue(Precision)!, PrecisionVariable);
        var faceApi = r.GetValue(Align) == "faceapi";
        var options = new FaceAnalyzerOptions
        {
            Detection = new DetectionOptions { Detector = r.GetValue(Detector)!, MinScore = r.GetValue(MinScore), MinFaceSize = r.GetValue(MinFace) },
            Landmarks = new LandmarkOptions { Net = r.GetValue(Landmarks)! },
            Alignment = new AlignmentOptions { Mode = faceApi ? AlignmentMode.FaceApi : AlignmentMode.Dlib },
            Embedding = new EmbeddingOptions
            {
                FlipAverage = !faceApi && !r.GetValue(NoFlip),
                Precision = precision,
            },
            Finder = new FaceFinderOptions { Tiles = !r.GetValue(NoTiles) },
            Precision = precision,
        };
        return _withHead && r.GetValue(Head) is { } path
            ? options with { Embedding = options.Embedding with { Head = LoadHead(path, options.BaseModelId()) } }
            : options;
    }

    private static ModelVariant Variant(string precision, string variable) => precision switch
    {
        "int8" => ModelVariant.Int8,
        "fp32" => ModelVariant.Fp32,
        _ => throw new CliException(ExitCodes.Usage, $"{variable}={precision}: must be one of {string.Join(", ", Precisions)}"),
    };

    /// <summary>Loads a head file and checks it was trained on the descriptors these options make.</summary>
    private static ProjectionHead LoadHead(string path, string baseModelId)
    {
        ProjectionHead head;
        try { head = ProjectionHeadFile.Load(path); }
        catch (InvalidDataException e) { throw new CliException(ExitCodes.Usage, e.Message); }
        if (head.BaseModelId != baseModelId)
            throw new CliException(ExitCodes.Usage, $"the head {path} was trained on '{head.BaseModelId}' descriptors; these options make '{baseModelId}'");
        return head;
    }

    /// <summary>The image decoder with the requested pixel limit.</summary>
    public ImageDecoder Decoder(ParseResult r) => new(new ImagingOptions { MaxPixels = r.GetValue(MaxPixels) });
}
