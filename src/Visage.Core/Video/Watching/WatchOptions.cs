using Visage.Detection;
using Visage.Matching;
using Visage.Pipeline;
using Visage.Video.Tracking;

namespace Visage.Video.Watching;

/// <summary>How a <see cref="FaceWatcher"/> reads one camera; the defaults suit a camera at 5-25 fps with faces 40 px and up.</summary>
public sealed record WatchOptions
{
    /// <summary>The camera's name, in every event and appearance.</summary>
    public string Camera { get; init; } = "camera";

    /// <summary>
    /// The detector run on every frame, by name (<c>tiny</c>, the default, or <c>ssd</c>): one pass on the whole frame,
    /// without the photo pipeline's tiles and fallback chain (a face missed in one frame is found in the next).
    /// </summary>
    public string Detector { get; init; } = TinyFaceDetector.DetectorName;

    /// <summary>Detections scoring at or below this are dropped (default 0.5).</summary>
    public float MinScore { get; init; } = 0.5f;

    /// <summary>
    /// Input side of the detector (a multiple of 32 for <c>tiny</c>); 0 for the detector's own. The default, 608, lets
    /// <c>tiny</c> find faces of about 60 px in a 1280-wide frame, which its own 416 misses (measured on the generated
    /// videos); SSD's input is fixed.
    /// </summary>
    public int DetectorInputSize { get; init; } = 608;

    /// <summary>Faces smaller than this (px, shorter side) are not followed: too small to recognize (default 24).</summary>
    public double MinFaceSize { get; init; } = 24;

    /// <summary>
    /// How faces are followed across frames. The default takes a descriptor of every frame that enters a track's best
    /// frames (not one every 5 frames): at 10 fps a track has its three descriptors when it is confirmed, 0.2 s after
    /// its first sight, so it is named within half a second of walking in (docs/BENCHMARKS.md); afterwards only frames
    /// better than the worst of the best five cost a descriptor.
    /// </summary>
    public FaceTrackerOptions Tracker { get; init; } = new() { DescriptorInterval = 1 };

    /// <summary>When a track is decided: once it has three descriptors of its best frames, or after a second with one.</summary>
    public AppearanceOptions Appearance { get; init; } = new() { DecideAfterDescriptors = 3, DecideAfterSeconds = 1.0 };

    /// <summary>The decision rule against the gallery (default <see cref="MatchingOptions.Default"/>).</summary>
    public MatchingOptions? Matching { get; init; }

    /// <summary>Side in pixels of the best face's thumbnail handed to the appearance sink.</summary>
    public int ThumbnailSize { get; init; } = 112;

    /// <summary>
    /// The analyzer options for frames: <paramref name="photo"/>'s landmark, alignment and embedding settings (so
    /// descriptors are those of the gallery), with one pass of <see cref="Detector"/> instead of the thorough search.
    /// </summary>
    public FaceAnalyzerOptions FrameAnalysis(FaceAnalyzerOptions photo) => photo with
    {
        Mode = DetectionMode.FaceApi,
        Detection = photo.Detection with { Detector = Detector, MinScore = MinScore, MinFaceSize = MinFaceSize, InputSize = Detector == TinyFaceDetector.DetectorName ? DetectorInputSize : 0 },
    };

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Camera, nameof(Camera));
        ArgumentException.ThrowIfNullOrWhiteSpace(Detector, nameof(Detector));
        if (!(MinScore > 0 && MinScore < 1)) throw new ArgumentException($"the min score must be in (0, 1), got {MinScore}");
        if (!(MinFaceSize >= 0)) throw new ArgumentException($"the min face size must be >= 0, got {MinFaceSize}");
        if (DetectorInputSize < 0 || DetectorInputSize % 32 != 0) throw new ArgumentException($"the detector input size must be a multiple of 32 (0: the detector's own), got {DetectorInputSize}");
        if (ThumbnailSize < 8) throw new ArgumentException($"thumbnails are at least 8 px, got {ThumbnailSize}");
        Matching?.Validate();
    }
}
