using Visage.Alignment;
using Visage.Detection;
using Visage.Embedding;
using Visage.Faces;
using Visage.Imaging;
using Visage.Landmarks;
using Visage.Models;

namespace Visage;

/// <summary>
/// The pipeline in one object: image -> faces (box, score, 68 landmarks, 128-d embedding). Networks are loaded
/// on first use, once, and shared; an analyzer may be used from many threads at once.
/// </summary>
public sealed class FaceAnalyzer : IDisposable
{
    private readonly ModelRepository _models;
    private readonly bool _ownsModels;
    private readonly IFaceDetector _detector;
    private readonly FaceLandmark68Net _landmarks;
    private readonly FaceRecognitionNet _recognition;
    private readonly FaceFinder _finder;

    /// <summary>Creates an analyzer; <paramref name="models"/> defaults to the cache in <see cref="VisageHome"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public FaceAnalyzer(FaceAnalyzerOptions? options = null, ModelRepository? models = null)
    {
        Options = options ?? new FaceAnalyzerOptions();
        Options.Validate();
        _ownsModels = models is null;
        _models = models ?? new ModelRepository(new ModelStore(), log: Console.Error);
        _detector = Options.Detector == DetectorKind.Tiny
            ? new TinyFaceDetector(_models) { InputSize = Options.TinyInputSize }
            : new SsdMobileNetV1Detector(_models);
        _landmarks = new FaceLandmark68Net(_models, Options.TinyLandmarks);
        _recognition = new FaceRecognitionNet(_models);
        _finder = new FaceFinder(_models, Options);
    }

    /// <summary>The options in force.</summary>
    public FaceAnalyzerOptions Options { get; }

    /// <summary>
    /// Identifies the embedding space these options produce (weights, alignment, flip averaging): vectors with
    /// different ids must not be compared.
    /// </summary>
    public string ModelId => EmbeddingModel.Id(Options.Alignment, Options.FlipAverage);

    /// <summary>Finds faces and their landmarks, without embeddings.</summary>
    public Analysis Detect(RgbImage image) => Run(image, embed: false);

    /// <summary>Finds faces, their landmarks and their embeddings (all faces of the image in one batch).</summary>
    public Analysis Analyze(RgbImage image) => Run(image, embed: true);

    /// <summary>
    /// The one face a photo is about, with its embedding (for verify and enroll): the largest face, with the
    /// bystander rule of <see cref="FaceFinder.FindSubject"/> in thorough mode. <see cref="SubjectAnalysis.Face"/> is
    /// null when the photo has no face.
    /// </summary>
    public SubjectAnalysis AnalyzeSubject(RgbImage image)
    {
        var timings = new StageTimings();
        Face? subject;
        int found;
        if (Options.Detection == DetectionMode.FaceApi)
        {
            var faces = FindFaceApi(image, timings);
            (subject, found) = (FaceFinder.Largest(faces), faces.Count);
        }
        else
        {
            subject = _finder.FindSubject(image, out found, timings);
        }
        if (subject is null) return new SubjectAnalysis(null, 0, timings);
        return new SubjectAnalysis(Embed(image, [subject], timings)[0], found, timings);
    }

    /// <summary>The descriptor of a ready 150x150 chip, with no detection, alignment or flip.</summary>
    public FaceEmbedding EmbedChip(RgbImage chip) =>
        new(_recognition.Describe([ChipSource.Whole(chip)])[0], EmbeddingModel.ChipId);

    /// <summary>The chip the recognition net sees for a face (for inspection and export).</summary>
    public RgbImage Chip(RgbImage image, Face face)
    {
        if (face.Landmarks is null) throw new ArgumentException("the face has no landmarks", nameof(face));
        var source = ChipFor(image, face.Box, face.Landmarks);
        return Options.Alignment == AlignmentMode.Dlib ? source.Image : source.Image.Crop(source.Crop.X, source.Crop.Y, source.Crop.Width, source.Crop.Height);
    }

    private Analysis Run(RgbImage image, bool embed)
    {
        var timings = new StageTimings();
        var faces = Options.Detection == DetectionMode.FaceApi ? FindFaceApi(image, timings) : _finder.Find(image, timings);
        return new Analysis(embed && faces.Count > 0 ? Embed(image, faces, timings) : faces, timings);
    }

    /// <summary>face-api.js's detection: one pass of the detector, then landmarks.</summary>
    private List<Face> FindFaceApi(RgbImage image, StageTimings timings)
    {
        var detections = timings.Measure("detect", () => _detector.Detect(image, Options.MinScore))
            .Where(d => Math.Min(d.Box.Width, d.Box.Height) >= Options.MinFaceSize)
            .ToList();
        var boxes = detections.Select(d => d.Box).ToList();
        var landmarks = timings.Measure("landmarks", () => _landmarks.Detect(image, boxes));
        var faces = new List<Face>();
        for (var i = 0; i < detections.Count; i++)
            if (landmarks[i] is { } lm) faces.Add(new Face(detections[i].Box, detections[i].Score, lm, null, _detector.Name));
        return faces;
    }

    /// <summary>The faces with their embeddings, all chips in one batch.</summary>
    private IReadOnlyList<Face> Embed(RgbImage image, IReadOnlyList<Face> faces, StageTimings timings)
    {
        var chips = timings.Measure("align", () => faces.Select(f => ChipFor(image, f.Box, f.Landmarks!)).ToList());
        var vectors = timings.Measure("embed", () => Describe(chips));
        return faces.Select((f, i) => f with { Embedding = new FaceEmbedding(vectors[i], ModelId) }).ToList();
    }

    private ChipSource ChipFor(RgbImage image, BoundingBox box, FaceLandmarks landmarks)
    {
        if (Options.Alignment == AlignmentMode.Dlib) return ChipSource.Whole(DlibChip.Extract(image, landmarks));
        var landmarkCrop = PixelRect.ClipFloor(box.X, box.Y, box.Width, box.Height, image.Width, image.Height);
        var crop = FaceApiCrop.ClippedDescriptorBox(landmarks, landmarkCrop, image.Width, image.Height);
        // face-api.js returns zeros for an empty crop; a one-pixel crop keeps the batch shape and is as useless.
        return new ChipSource(image, crop.IsEmpty ? new PixelRect(0, 0, 1, 1) : crop);
    }

    /// <summary>One descriptor per chip; with flip averaging, each chip and its mirror run in the same batch.</summary>
    private float[][] Describe(IReadOnlyList<ChipSource> chips)
    {
        if (!Options.FlipAverage) return _recognition.Describe(chips);
        var batch = new List<ChipSource>(chips.Count * 2);
        foreach (var c in chips)
        {
            batch.Add(c);
            var cut = c.Crop == new PixelRect(0, 0, c.Image.Width, c.Image.Height) ? c.Image : c.Image.Crop(c.Crop.X, c.Crop.Y, c.Crop.Width, c.Crop.Height);
            batch.Add(ChipSource.Whole(cut.FlipHorizontal()));
        }
        var both = _recognition.Describe(batch);
        var result = new float[chips.Count][];
        for (var i = 0; i < chips.Count; i++)
        {
            result[i] = new float[both[2 * i].Length];
            for (var k = 0; k < result[i].Length; k++) result[i][k] = (both[2 * i][k] + both[2 * i + 1][k]) / 2;
        }
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsModels) _models.Dispose();
    }
}

/// <summary>The face a photo is about (see <see cref="FaceAnalyzer.AnalyzeSubject"/>).</summary>
/// <param name="Face">The chosen face with its embedding, or null when the photo has no face.</param>
/// <param name="FacesFound">How many faces the photo holds (callers may warn when more than one).</param>
/// <param name="Timings">Milliseconds per stage.</param>
public sealed record SubjectAnalysis(Face? Face, int FacesFound, StageTimings Timings);

/// <summary>The faces found in one image and how long each stage took.</summary>
/// <param name="Faces">Faces, best detection score first.</param>
/// <param name="Timings">Milliseconds per stage.</param>
public sealed record Analysis(IReadOnlyList<Face> Faces, StageTimings Timings);
