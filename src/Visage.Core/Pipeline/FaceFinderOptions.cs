using Visage.Detection;
using Visage.Landmarks;

namespace Visage.Pipeline;

/// <summary>
/// What <see cref="FaceFinder"/> does beyond one detector pass. The defaults are the measured best on the shared
/// photos (docs/ACCURACY.md): tiles for small faces, the fallback chain for tight crops, landmark-based rejection.
/// </summary>
public sealed record FaceFinderOptions
{
    /// <summary>Also search overlapping tiles of photos larger than the detector input (with <see cref="TileDetector"/>), so small faces are seen at a usable size.</summary>
    public bool Tiles { get; init; } = true;

    /// <summary>
    /// The detector run on the tiles (default Tiny). On ../shared/data/samples/ (1920 px photos, then eight tiles each) SSD
    /// on the tiles made the default analysis 261 ms a photo, Tiny 93 ms, with the same faces found on groups/,
    /// samples/ and nonfaces/ (docs/ACCURACY.md gives the commands).
    /// </summary>
    public string TileDetector { get; init; } = TinyFaceDetector.DetectorName;

    /// <summary>
    /// Share of each tile that overlaps its neighbour (default 0.2): a face smaller than the overlap lies whole in some
    /// tile, and a larger one is the whole-photo pass's to find. A tile is 40% of a large photo's long side, so 0.2 is
    /// 8% of it: 41 px at SSD's 512 input, above the largest face the whole pass was seen to miss (obama_and_biden.jpg,
    /// 131 px of 2000: 34 px at 512). On the 1920 px samples 6-9 tiles instead of 8-12 at 0.3, the same faces found
    /// on samples/, groups/ and nonfaces/, `analyze` 78 -> 70 ms (docs/BENCHMARKS.md).
    /// </summary>
    public double TileOverlap { get; init; } = 0.2;

    /// <summary>
    /// With SSD as the primary detector, the tiles run only when its whole-photo pass has a candidate scoring from
    /// this up to the threshold that no face it found explains: a face too small for that pass still leaves such a
    /// hint, and a photo without one has nothing for the tiles to find (default 0.1; 0 tiles every large photo).
    /// Measured (docs/ACCURACY.md, "Tiles for small faces"): of 165 photos (the shared samples and groups shrunk 2-6
    /// times onto 1920, 1280 and 1024 px canvases), the 28 where the tiles found a face the whole pass missed had a
    /// hint of 0.157 or more, and about half of the rest none over 0.1; the six 1920 px samples have 0.099 at most,
    /// group_8_faces.jpg 0.471 and obama_and_biden.jpg 0.325.
    /// </summary>
    public float TileSignal { get; init; } = 0.1f;

    /// <summary>When nothing is found, retry with a black border, the other detector and a lower score (default on).</summary>
    public bool Fallback { get; init; } = true;

    /// <summary>
    /// The other detector the fallback chain tries after the bordered passes, when it is not the primary one
    /// (default Tiny: its boxes cover the whole head, so it finds faces SSD's anchors miss).
    /// </summary>
    public string FallbackDetector { get; init; } = TinyFaceDetector.DetectorName;

    /// <summary>The score threshold of the last fallback step (default 0.3).</summary>
    public float FallbackMinScore { get; init; } = 0.3f;

    /// <summary>Drop detections whose landmarks do not stay on facial features when the box moves (default on).</summary>
    public bool RejectNonFaces { get; init; } = true;

    /// <summary>
    /// The largest landmark drift a face may show (see <see cref="LandmarkStability"/>; default 0.25). Measured on the
    /// shared photos: 99% of faces found at score 0.9 drift under 0.16; the cat SSD reports at 0.93 drifts 0.50.
    /// </summary>
    public double MaxLandmarkDrift { get; init; } = LandmarkStability.DefaultMaxDrift;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(TileDetector, nameof(TileDetector));
        ArgumentException.ThrowIfNullOrWhiteSpace(FallbackDetector, nameof(FallbackDetector));
        if (!(TileOverlap >= 0 && TileOverlap < 0.9)) throw new ArgumentOutOfRangeException(nameof(TileOverlap), TileOverlap, "tile overlap must be in [0, 0.9)");
        if (!(TileSignal >= 0 && TileSignal < 1)) throw new ArgumentOutOfRangeException(nameof(TileSignal), TileSignal, "tile signal must be in [0, 1)");
        if (!(FallbackMinScore > 0 && FallbackMinScore < 1)) throw new ArgumentOutOfRangeException(nameof(FallbackMinScore), FallbackMinScore, "fallback min score must be in (0, 1)");
        if (!(MaxLandmarkDrift > 0)) throw new ArgumentOutOfRangeException(nameof(MaxLandmarkDrift), MaxLandmarkDrift, "max landmark drift must be > 0");
    }
}
