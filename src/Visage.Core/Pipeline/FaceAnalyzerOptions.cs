using Visage.Alignment;
using Visage.Detection;

namespace Visage.Pipeline;

/// <summary>Which face detector runs.</summary>
public enum DetectorKind
{
    /// <summary>SSD MobileNet V1 at 512: accurate, about 6.3 GFLOPs per image.</summary>
    Ssd,
    /// <summary>Tiny Face Detector at 416: about 16 times cheaper, misses more small and tight faces.</summary>
    Tiny,
}

/// <summary>How faces are found.</summary>
public enum DetectionMode
{
    /// <summary>
    /// <see cref="FaceFinder"/>: the detector on the photo and on tiles, the fallback chain when nothing is found,
    /// and landmark-based rejection of non-faces (the default; see <see cref="FaceAnalyzerOptions.Finder"/>).
    /// </summary>
    Thorough,
    /// <summary>One detector pass exactly as face-api.js runs it, for parity.</summary>
    FaceApi,
}

/// <summary>Options of the pipeline; defaults are the recommended settings.</summary>
public sealed record FaceAnalyzerOptions
{
    /// <summary>Detector to run (default SSD).</summary>
    public DetectorKind Detector { get; init; } = DetectorKind.Ssd;

    /// <summary>How faces are found (default <see cref="DetectionMode.Thorough"/>).</summary>
    public DetectionMode Detection { get; init; } = DetectionMode.Thorough;

    /// <summary>What the thorough mode does beyond one pass (tiles, fallback, rejection).</summary>
    public FaceFinderOptions Finder { get; init; } = new();

    /// <summary>Detections scoring at or below this are dropped (default 0.5, face-api.js's default). Must be in (0, 1).</summary>
    public float MinScore { get; init; } = 0.5f;

    /// <summary>Faces whose box is smaller than this many pixels on its shorter side are dropped (default 0: keep all).</summary>
    public double MinFaceSize { get; init; }

    /// <summary>Input side of the Tiny Face Detector, a multiple of 32 (default 416; larger finds smaller faces).</summary>
    public int TinyInputSize { get; init; } = 416;

    /// <summary>Use the tiny 68-point landmark net (faster, less precise) instead of the full one.</summary>
    public bool TinyLandmarks { get; init; }

    /// <summary>How chips are cut (default dlib).</summary>
    public AlignmentMode Alignment { get; init; } = AlignmentMode.Dlib;

    /// <summary>Average the descriptors of the chip and its mirror image (default on; one batch of two chips per face).</summary>
    public bool FlipAverage { get; init; } = true;

    /// <summary>
    /// A trained projection head applied to every descriptor (default none). Its vectors get their own model id, so
    /// they never mix with plain descriptors; it must have been trained on this alignment and flip setting.
    /// Load one with <see cref="Embedding.ProjectionHeadFile.Load"/>.
    /// </summary>
    public Embedding.ProjectionHead? Head { get; init; }

    /// <summary>The options that reproduce face-api.js exactly: one SSD pass at 0.5, full landmarks, its crop, no flip.</summary>
    public static FaceAnalyzerOptions FaceApiParity { get; } = new() { Detection = DetectionMode.FaceApi, Alignment = AlignmentMode.FaceApi, FlipAverage = false };

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!(MinScore > 0 && MinScore < 1)) throw new ArgumentOutOfRangeException(nameof(MinScore), MinScore, "min score must be in (0, 1)");
        if (MinFaceSize < 0) throw new ArgumentOutOfRangeException(nameof(MinFaceSize), MinFaceSize, "min face size must be >= 0");
        Finder.Validate();
        if (TinyInputSize <= 0 || TinyInputSize % 32 != 0) throw new ArgumentOutOfRangeException(nameof(TinyInputSize), TinyInputSize, "tiny input size must be a positive multiple of 32");
    }
}
