using Visage.Detection;
using Visage.Faces;
using Visage.Imaging;
using Visage.Landmarks;
using Visage.Models;

namespace Visage.Pipeline;

/// <summary>
/// Finds faces better than one detector pass does, with the same networks: the detector on the whole photo, and on a
/// large photo the tiny detector on overlapping tiles proposing the small faces, each confirmed by the detector on a
/// square around it; when nothing is found, the fallback chain of
/// <see cref="FallbackStep.Chain"/> (a black border for tight crops, the other detector, a lower score), boxes mapped
/// back to the photo; and every candidate checked by <see cref="LandmarkStability"/>, so that face-like things are
/// dropped. Each face says which stage found it. Stateless: one finder may serve many threads.
/// </summary>
public sealed class FaceFinder
{
    private readonly Dictionary<string, IFaceDetector> _detectors = [];
    private readonly IFaceDetector _primary;
    private readonly FaceLandmark68Net _landmarks;
    private readonly DetectionOptions _detection;
    private readonly FaceFinderOptions _finder;
    private readonly IReadOnlyList<FallbackStep> _chain;

    /// <summary>
    /// A finder using the detectors, threshold, landmark net and <see cref="FaceAnalyzerOptions.Finder"/> settings of
    /// <paramref name="options"/>, made from <paramref name="registry"/> (default <see cref="VisageModels.Registry"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">A detector or landmark net the options name is not registered.</exception>
    public FaceFinder(ModelRepository models, FaceAnalyzerOptions options, ModelRegistry? registry = null)
    {
        options.Validate();
        registry ??= VisageModels.Registry;
        _detection = options.Detection;
        _finder = options.Finder;
        _chain = FallbackStep.Chain(_detection.Detector, _finder.FallbackDetector);
        foreach (var name in _chain.Select(s => s.Detector).Append(_detection.Detector).Append(_finder.TileDetector).Distinct())
            _detectors[name] = registry.Create<IFaceDetector>(name, models, options.VariantOf<IFaceDetector>(registry, name));
        _primary = _detectors[_detection.Detector];
        _landmarks = registry.Create<FaceLandmark68Net>(options.Landmarks.Net, models, options.VariantOf<FaceLandmark68Net>(registry, options.Landmarks.Net));
    }

    /// <summary>
    /// The networks a call of <see cref="Find"/> runs on most photos: the primary detector, the tile detector when tiles
    /// are on, and the landmark net (the fallback chain's other detectors are made when first needed).
    /// </summary>
    public IEnumerable<ModelDescriptor> UsualModels()
    {
        yield return _primary.Model;
        if (_finder.Tiles) yield return _detectors[_finder.TileDetector].Model;
        yield return _landmarks.Model;
    }

    /// <summary>
    /// Every face, best score first, each with its landmarks and the stage that found it. The fallback chain runs
    /// when nothing is found. When the only face found is small and off centre (a bystander, while the subject of a
    /// tight portrait went undetected: Joseph_Biden_0002 and Michelle_Pfeiffer_0001 of ../shared/data/faces/), the
    /// chain's first step (the border, which fixes a face too large for the detector) runs too; with
    /// <paramref name="seekSubject"/> the whole chain does. Photos about one person (enroll, verify) want the whole
    /// chain; a webcam frame with one small face off centre should not pay six more detector passes for it.
    /// </summary>
    /// <param name="image">The photo.</param>
    /// <param name="timings">Where to add the time spent detecting and placing landmarks, if wanted.</param>
    /// <param name="seekSubject">Run the whole fallback chain, not only its first step, when the only face found is a bystander.</param>
    public IReadOnlyList<Face> Find(RgbImage image, StageTimings? timings = null, bool seekSubject = false)
    {
        timings ??= new StageTimings();
        var faces = Verify(image, timings.Measure("detect", () => Primary(image)), 0, 0, 1, timings);
        if (!_finder.Fallback) return faces;
        if (faces.Count == 0) return Fallback(image, timings, except: null, _chain);
        if (faces.Count == 1 && IsBystander(faces[0].Box, image.Width, image.Height))
            faces.AddRange(Fallback(image, timings, except: faces[0].Box, seekSubject ? _chain : _chain.Take(1)));
        return faces;
    }

    /// <summary>
    /// The one face a photo is about (verify, enroll): the largest of <see cref="Find"/> with its subject search;
    /// null when there is none.
    /// </summary>
    /// <param name="image">The photo.</param>
    /// <param name="faces">Every face the photo holds (the subject among them).</param>
    /// <param name="timings">Where to add the time spent, if wanted.</param>
    public Face? FindSubject(RgbImage image, out IReadOnlyList<Face> faces, StageTimings? timings = null)
    {
        faces = Find(image, timings, seekSubject: true);
        return Largest(faces);
    }

    /// <summary>
    /// True when the photo is not about one face: the largest is itself a bystander among others (nobody holds the
    /// centre: a group photo), or another face is more than a sidekick (<see cref="IsSidekick"/>).
    /// </summary>
    public static bool IsAmbiguous(Face subject, IReadOnlyList<Face> faces, int width, int height) =>
        faces.Count > 1 && (IsBystander(subject.Box, width, height)
            || faces.Any(f => !ReferenceEquals(f, subject) && !IsSidekick(f.Box, subject.Box, width, height)));

    /// <summary>
    /// A face that does not compete with the subject: a bystander (<see cref="IsBystander"/>) that is cut by the
    /// photo's edge (within 5% of its shorter side) or under 0.6 of the subject's height. Measured on
    /// ../shared/data/faces/ and groups/: of the ten LFW portraits showing part of a neighbour, nine have it within 4%
    /// of the edge or at 0.40-0.58 of the subject's height (Igor_Ivanov_0001's, 11% in and 0.80 as tall, stays a
    /// rival); the other faces of group_3_faces.jpg are 34-38% in and 0.89-0.94 as tall.
    /// </summary>
    public static bool IsSidekick(BoundingBox face, BoundingBox subject, int width, int height)
    {
        if (!IsBystander(face, width, height)) return false;
        var margin = 0.05 * Math.Min(width, height);
        var atEdge = face.X < margin || face.Y < margin || face.Right > width - margin || face.Bottom > height - margin;
        return atEdge || face.Height < 0.6 * subject.Height;
    }

    /// <summary>The face with the largest box, or null for none.</summary>
    public static Face? Largest(IReadOnlyList<Face> faces)
    {
        Face? best = null;
        foreach (var f in faces)
            if (best is null || f.Box.Area > best.Box.Area) best = f;
        return best;
    }

    /// <summary>
    /// A face whose box does not cover the photo's centre and whose longer side is under half the photo's shorter
    /// side: in a portrait, likely someone at the edge. Measured on ../shared/data/faces/: Joseph_Biden_0002 and
    /// Michelle_Pfeiffer_0001 (LFW) have only such a face over 0.5 (62 px wide at the left edge) while the subject,
    /// centred, is found by the border pass.
    /// </summary>
    public static bool IsBystander(BoundingBox box, int width, int height) =>
        Math.Max(box.Width, box.Height) < Math.Min(width, height) / 2.0 && !box.Contains(new Point2(width / 2.0, height / 2.0));

    /// <summary>The settings a detector runs with: the primary one at the chosen input size, the others at their own.</summary>
    private DetectorSettings Settings(IFaceDetector detector, float minScore) =>
        new(minScore, detector == _primary ? _detection.InputSize : 0);

    /// <summary>
    /// The primary detector on the whole photo and, when the photo is large, <see cref="FaceFinderOptions.TileDetector"/>
    /// on overlapping tiles for the faces too small for the whole-photo pass (with SSD as the primary, only when that
    /// pass saw a hint of one: <see cref="FaceFinderOptions.TileSignal"/>). A face the whole pass found keeps its box.
    /// </summary>
    private List<(FaceDetection Detection, string Stage)> Primary(RgbImage image)
    {
        var detector = _primary;
        var whole = new PixelRect(0, 0, image.Width, image.Height);
        var signal = SignalScore(detector);
        var found = new List<(FaceDetection Detection, string Stage)>();
        var hints = new List<FaceDetection>();
        foreach (var d in detector.Detect(image, whole, Settings(detector, Math.Min(signal, _detection.MinScore))))
        {
            if (d.Score > _detection.MinScore) found.Add((d, detector.Name));
            else hints.Add(d);
        }
        if (!_finder.Tiles || !ImageTiles.Worthwhile(image.Width, image.Height, detector.InputSize(Settings(detector, 0)))) return found;
        if (signal < _detection.MinScore && !hints.Exists(h => !found.Exists(f => BoxMerge.SameFace(f.Detection.Box, h.Box)))) return found;

        var scout = _detectors[_finder.TileDetector];
        var scoutSettings = Settings(scout, _detection.MinScore);
        var side = ImageTiles.TileSide(image.Width, image.Height, scout.InputSize(scoutSettings));
        // The detector reads each tile in place (boxes come back in photo coordinates). Tiles run side by side: one Tiny
        // run gains little from a second core (3.2 ms on one thread, 2.9 on two), two at once take 12-29% less a tile.
        var tiles = ImageTiles.Grid(image.Width, image.Height, side, _finder.TileOverlap);
        var tiled = AcrossCores.Map(tiles, tile => scout.Detect(image, tile, scoutSettings)
                .Where(d => !ImageTiles.TouchesInnerEdge(d.Box, tile, image.Width, image.Height)).ToList())
            .SelectMany(found => found.Select(d => (Detection: d, Stage: scout.Name + "-tile")))
            .ToList();
        foreach (var t in BoxMerge.Suppress(tiled, f => f.Detection))
        {
            if (found.Exists(f => BoxMerge.SameFace(f.Detection.Box, t.Detection.Box))) continue;
            if (scout == detector) found.Add(t);
            else if (Confirm(detector, image, t.Detection.Box) is { } confirmed) found.Add((confirmed, detector.Name + "-tile"));
        }
        return found;
    }

    /// <summary>
    /// The score from which the primary detector's whole-photo candidates below the threshold count as a hint of a
    /// face too small for it; the threshold itself (so: always tile) where the hint is not measured or is off.
    /// </summary>
    private float SignalScore(IFaceDetector primary) =>
        _finder.TileSignal > 0 && primary.Name == SsdMobileNetV1Detector.DetectorName ? _finder.TileSignal : _detection.MinScore;

    /// <summary>
    /// The primary detector's own detection of a face the tile detector proposed, in a square of four times its size
    /// around it (where the face is large enough for the primary detector); null when it sees no face there.
    /// </summary>
    private FaceDetection? Confirm(IFaceDetector detector, RgbImage image, BoundingBox proposed)
    {
        var side = 4 * Math.Max(proposed.Width, proposed.Height);
        var square = PixelRect.ClipFloor(proposed.Center.X - side / 2, proposed.Center.Y - side / 2, side, side, image.Width, image.Height);
        FaceDetection? best = null;
        foreach (var d in detector.Detect(image, square, Settings(detector, _detection.MinScore)))
            if (BoxMerge.SameFace(d.Box, proposed) && (best is not { } b || d.Score > b.Score)) best = d;
        return best;
    }

    /// <summary>
    /// Longest side of a bordered fallback view. The detectors see at most 512 px, so a larger photo is first shrunk
    /// by an integer factor: a 29 MP photo with a 100% border would otherwise take a 780 MB copy.
    /// </summary>
    public const int MaxBorderedSide = 2048;

    /// <summary>Runs the steps until one finds a face (other than <paramref name="except"/>); faces in photo coordinates.</summary>
    private List<Face> Fallback(RgbImage image, StageTimings timings, BoundingBox? except, IEnumerable<FallbackStep> steps)
    {
        var shrunk = new Dictionary<int, RgbImage> { [1] = image };
        foreach (var step in steps)
        {
            var factor = step.Border > 0 ? Math.Max(1, (int)Math.Ceiling(Math.Max(image.Width, image.Height) * (1 + 2 * step.Border) / MaxBorderedSide)) : 1;
            if (!shrunk.TryGetValue(factor, out var source)) shrunk[factor] = source = image.ShrinkBy(factor);
            int bx = (int)Math.Round(source.Width * step.Border), by = (int)Math.Round(source.Height * step.Border);
            var view = step.Border > 0 ? source.WithBorder(bx, by, bx, by) : source;
            var score = step.LowScore ? Math.Min(_finder.FallbackMinScore, _detection.MinScore) : _detection.MinScore;
            var detector = _detectors[step.Detector];
            var detections = timings.Measure("detect", () => detector.Detect(view, new PixelRect(0, 0, view.Width, view.Height), Settings(detector, score)));
            var candidates = new List<(FaceDetection, string)>(detections.Count);
            foreach (var d in detections) candidates.Add((d, step.Stage));
            // Landmarks run in the bordered view, where the box is whole, and are mapped back with the box.
            var faces = Verify(view, candidates, bx, by, factor, timings);
            if (except is { } old) faces.RemoveAll(f => BoxMerge.SameFace(f.Box, old));
            if (faces.Count > 0) return faces;
        }
        return [];
    }

    /// <summary>
    /// Landmarks and the stability check for candidates found in <paramref name="view"/>, mapped back to the photo by
    /// moving them (-dx, -dy) and scaling by <paramref name="scale"/>.
    /// </summary>
    private List<Face> Verify(RgbImage view, List<(FaceDetection Detection, string Stage)> candidates, int dx, int dy, int scale, StageTimings timings)
    {
        var faces = new List<Face>(candidates.Count);
        var boxes = new List<BoundingBox>(candidates.Count);
        foreach (var (d, _) in candidates)
            if (Math.Min(d.Box.Width, d.Box.Height) * scale >= _detection.MinFaceSize) boxes.Add(d.Box);
        if (boxes.Count == 0) return faces;
        var measured = timings.Measure("landmarks", () => _finder.RejectNonFaces
            ? LandmarkStability.Measure(_landmarks, view, boxes)
            : _landmarks.Detect(view, boxes).Select(l => (l, 0.0)).ToArray());
        var b = 0;
        foreach (var (d, stage) in candidates)
        {
            if (Math.Min(d.Box.Width, d.Box.Height) * scale < _detection.MinFaceSize) continue;
            var (landmarks, drift) = measured[b++];
            if (landmarks is null) continue;
            if (drift > _finder.MaxLandmarkDrift) continue;
            var inPlace = dx == 0 && dy == 0 && scale == 1;
            faces.Add(new Face(d.Box.Map(-dx, -dy, scale), d.Score, inPlace ? landmarks : landmarks.Map(-dx, -dy, scale), null, stage));
        }
        return faces;
    }
}
