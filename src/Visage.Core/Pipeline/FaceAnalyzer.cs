using Visage.Alignment;
using Visage.Detection;
using Visage.Embedding;
using Visage.Faces;
using Visage.Imaging;
using Visage.Landmarks;
using Visage.Models;

namespace Visage.Pipeline;

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
    private readonly IFaceEmbedder _embedder;
    private readonly FaceFinder _finder;

    /// <summary>
    /// Creates an analyzer; <paramref name="models"/> defaults to the cache in <see cref="VisageHome"/>, and the stages
    /// the options name are looked up in <paramref name="registry"/> (default <see cref="VisageModels.Registry"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">
    /// A stage the options name is not registered, or the head was trained on another embedding space than these
    /// options produce.
    /// </exception>
    public FaceAnalyzer(FaceAnalyzerOptions? options = null, ModelRepository? models = null, ModelRegistry? registry = null)
    {
        Options = options ?? new FaceAnalyzerOptions();
        Options.Validate();
        Registry = registry ?? VisageModels.Registry;
        BaseModelId = Options.BaseModelId(Registry);
        if (Options.Embedding.Head is { } head && head.BaseModelId != BaseModelId)
            throw new ArgumentException($"the head was trained on '{head.BaseModelId}' descriptors, these options make '{BaseModelId}'", nameof(options));
        _ownsModels = models is null;
        _models = models ?? new ModelRepository(new ModelStore(), log: Console.Error);
        _detector = Registry.Create<IFaceDetector>(Options.Detection.Detector, _models, Options.VariantOf<IFaceDetector>(Registry, Options.Detection.Detector));
        _landmarks = Registry.Create<FaceLandmark68Net>(Options.Landmarks.Net, _models, Options.VariantOf<FaceLandmark68Net>(Registry, Options.Landmarks.Net));
        _embedder = Registry.Create<IFaceEmbedder>(Options.Embedding.Embedder, _models, Options.VariantOf<IFaceEmbedder>(Registry, Options.Embedding.Embedder));
        _finder = new FaceFinder(_models, Options, Registry);
    }

    /// <summary>The options in force.</summary>
    public FaceAnalyzerOptions Options { get; }

    /// <summary>The networks the stages were chosen from.</summary>
    public ModelRegistry Registry { get; }

    /// <summary>
    /// Identifies the embedding space these options produce (embedder, alignment, flip averaging, projection head):
    /// vectors with different ids must not be compared.
    /// </summary>
    public string ModelId => Options.Embedding.Head?.ModelId ?? BaseModelId;

    /// <summary>The embedding space of the embedder's descriptors before any projection head.</summary>
    public string BaseModelId { get; }

    /// <summary>
    /// Every option that changes which faces are found and their descriptors before the head: results of two
    /// analyzers with the same fingerprint can share a cache (see <see cref="FaceAnalysisCache"/>).
    /// </summary>
    public string PipelineFingerprint =>
        $"v{ResultsVersion}|{BaseModelId}|{(RunsInt8 ? $"qdq{QdqQuantizer.Version}|" : "")}{Options with { Embedding = Options.Embedding with { Head = null } }}";

    // An int8 network is rebuilt when the quantizer changes (a new cache key), and so are its results.
    private bool RunsInt8 => Options.Precision == ModelVariant.Int8 || Options.Embedding.Precision == ModelVariant.Int8;
    /// <summary>
    /// Bump when detection, landmark or alignment code changes what the pipeline returns for the same options, so
    /// cached results (<see cref="FaceAnalysisCache"/>, the evaluation cache) are not reused.
    /// </summary>
    public const int ResultsVersion = 5;

    /// <summary>
    /// Starts making the sessions of the networks an analysis runs, on the thread pool, and returns at once: a command
    /// that then decodes its photo and opens its gallery finds them ready (sessions are otherwise made on first use).
    /// </summary>
    /// <param name="embed">The caller will embed faces (the embedder's session too).</param>
    public void Preload(bool embed = true)
    {
        var usual = Options.Mode == DetectionMode.FaceApi ? [_detector.Model, _landmarks.Model] : _finder.UsualModels();
        _models.Preload(embed ? usual.Append(_embedder.Model) : usual);
    }

    /// <summary>Finds faces and their landmarks, without embeddings.</summary>
    public Analysis Detect(RgbImage image) => Run(image, embed: false, project: false, seekSubject: false);

    /// <summary>Finds faces, their landmarks and their embeddings (all faces of the image in one batch).</summary>
    /// <param name="image">The photo.</param>
    /// <param name="seekSubject">
    /// The photo is about one person: search further when the only face found is a bystander (see
    /// <see cref="FaceFinder.Find"/>), so that the largest face is the one <see cref="AnalyzeSubject"/> would take.
    /// </param>
    public Analysis Analyze(RgbImage image, bool seekSubject = false) => Run(image, embed: true, project: true, seekSubject);

    /// <summary>
    /// As <see cref="Analyze"/>, but the embeddings are the recognition net's (<see cref="BaseModelId"/>), before the
    /// projection head: what a cache keeps, since <see cref="Project"/> then serves any head.
    /// </summary>
    /// <param name="image">The photo.</param>
    /// <param name="seekSubject">As for <see cref="Analyze"/>.</param>
    public Analysis AnalyzeBase(RgbImage image, bool seekSubject = false) => Run(image, embed: true, project: false, seekSubject);

    /// <summary>
    /// Landmarks and descriptors for faces already located (by a tracker, say), with no detection: each box gets the
    /// landmark net and, when <paramref name="embed"/>, a descriptor. A box that lies outside the image comes back
    /// without landmarks or descriptor. The faces carry the stage <c>given</c> and score 1 unless a detection is given.
    /// </summary>
    /// <param name="image">The frame or photo.</param>
    /// <param name="boxes">Where the faces are, in image pixels.</param>
    /// <param name="embed">Also compute each face's descriptor (all in one batch).</param>
    public IReadOnlyList<Face> AnalyzeBoxes(RgbImage image, IReadOnlyList<BoundingBox> boxes, bool embed = true)
    {
        var timings = new StageTimings();
        var landmarks = timings.Measure("landmarks", () => _landmarks.Detect(image, boxes));
        var faces = boxes.Select((b, i) => new Face(b, 1f, landmarks[i], null, GivenStage)).ToList();
        return embed ? Embed(image, faces, timings, project: true) : faces;
    }

    /// <summary>The <see cref="Face.Stage"/> of faces whose boxes the caller gave (<see cref="AnalyzeBoxes"/>).</summary>
    public const string GivenStage = "given";

    /// <summary>
    /// Embeds faces already found in <paramref name="image"/> (for example stored with their landmarks in a gallery),
    /// with no detection: each face's chip is cut from its landmarks. Faces without landmarks are returned unchanged.
    /// </summary>
    public IReadOnlyList<Face> Embed(RgbImage image, IReadOnlyList<Face> faces) => Embed(image, faces, new StageTimings(), project: true);

    /// <summary>
    /// Moves a face's descriptor from <see cref="BaseModelId"/> into this analyzer's space (through the head, if
    /// any); faces already in <see cref="ModelId"/> or without an embedding are returned as they are.
    /// </summary>
    /// <exception cref="ArgumentException">The descriptor comes from another embedding space.</exception>
    public Face Project(Face face)
    {
        if (face.Embedding is not { } embedding || embedding.ModelId == ModelId) return face;
        if (Options.Embedding.Head is not { } head)
            throw new ArgumentException($"the face was embedded by '{embedding.ModelId}', this analyzer makes '{ModelId}'", nameof(face));
        return face with { Embedding = head.Project(embedding) };
    }

    /// <summary>
    /// The one face a photo is about, with its embedding (for verify and enroll): the largest face, with the
    /// bystander rule of <see cref="FaceFinder.FindSubject"/> in thorough mode. <see cref="SubjectAnalysis.Face"/> is
    /// null when the photo has no face.
    /// </summary>
    public SubjectAnalysis AnalyzeSubject(RgbImage image)
    {
        var timings = new StageTimings();
        IReadOnlyList<Face> faces;
        Face? subject;
        if (Options.Mode == DetectionMode.FaceApi)
        {
            faces = FindFaceApi(image, timings);
            subject = FaceFinder.Largest(faces);
        }
        else
        {
            subject = _finder.FindSubject(image, out faces, timings);
        }
        if (subject is null) return new SubjectAnalysis(null, 0, false, timings);
        var ambiguous = FaceFinder.IsAmbiguous(subject, faces, image.Width, image.Height);
        return new SubjectAnalysis(Embed(image, [subject], timings, project: true)[0], faces.Count, ambiguous, timings);
    }

    /// <summary>The descriptor of a ready chip of the embedder's size, with no detection, alignment or flip.</summary>
    public FaceEmbedding EmbedChip(RgbImage chip) =>
        new(_embedder.Describe([ChipSource.Whole(chip)])[0], EmbeddingModel.ChipId(_embedder.Model.WeightsId));

    /// <summary>The chip the embedder sees for a face (for inspection and export).</summary>
    public RgbImage Chip(RgbImage image, Face face)
    {
        if (face.Landmarks is null) throw new ArgumentException("the face has no landmarks", nameof(face));
        return ChipFor(image, face).ToImage();
    }

    private Analysis Run(RgbImage image, bool embed, bool project, bool seekSubject)
    {
        var timings = new StageTimings();
        var faces = Options.Mode == DetectionMode.FaceApi ? FindFaceApi(image, timings) : _finder.Find(image, timings, seekSubject);
        return new Analysis(embed && faces.Count > 0 ? Embed(image, faces, timings, project) : faces, timings);
    }

    /// <summary>face-api.js's detection: one pass of the detector, then landmarks.</summary>
    private List<Face> FindFaceApi(RgbImage image, StageTimings timings)
    {
        var detection = Options.Detection;
        var detections = timings.Measure("detect", () => _detector.Detect(image, new PixelRect(0, 0, image.Width, image.Height), detection.Settings))
            .Where(d => Math.Min(d.Box.Width, d.Box.Height) >= detection.MinFaceSize)
            .ToList();
        var boxes = detections.Select(d => d.Box).ToList();
        var landmarks = timings.Measure("landmarks", () => _landmarks.Detect(image, boxes));
        var faces = new List<Face>();
        for (var i = 0; i < detections.Count; i++)
            if (landmarks[i] is { } lm) faces.Add(new Face(detections[i].Box, detections[i].Score, lm, null, _detector.Name));
        return faces;
    }

    /// <summary>
    /// The faces with their embeddings (all chips in one batch), through the head when <paramref name="project"/>;
    /// faces without landmarks come back unchanged.
    /// </summary>
    private IReadOnlyList<Face> Embed(RgbImage image, IReadOnlyList<Face> faces, StageTimings timings, bool project)
    {
        var withLandmarks = faces.Where(f => f.Landmarks is not null).ToList();
        var chips = timings.Measure("align", () => AcrossCores.Map(withLandmarks, f => ChipFor(image, f))); // one core a chip
        var vectors = timings.Measure("embed", () => Options.Embedding.FlipAverage ? _embedder.DescribeWithMirror(chips) : _embedder.Describe(chips));
        var embedded = new List<Face>(faces.Count);
        var k = 0;
        foreach (var f in faces)
            embedded.Add(f.Landmarks is null ? f : f with { Embedding = new FaceEmbedding(vectors[k++], BaseModelId) });
        if (project && Options.Embedding.Head is not null) embedded = timings.Measure("head", () => embedded.Select(Project).ToList());
        return embedded;
    }

    private ChipSource ChipFor(RgbImage image, Face face) =>
        FaceAligner.Chip(image, face.Box, face.Landmarks!, Options.Alignment.Mode, _embedder.ChipSize());

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsModels) _models.Dispose();
    }
}

/// <summary>The face a photo is about (see <see cref="FaceAnalyzer.AnalyzeSubject"/>).</summary>
/// <param name="Face">The chosen face with its embedding, or null when the photo has no face.</param>
/// <param name="FacesFound">How many faces the photo holds (callers may warn when more than one).</param>
/// <param name="Ambiguous">
/// Several faces could be the subject (<see cref="FaceFinder.IsAmbiguous"/>): commands that need one face refuse such
/// a photo unless told to take the largest.
/// </param>
/// <param name="Timings">Milliseconds per stage.</param>
public sealed record SubjectAnalysis(Face? Face, int FacesFound, bool Ambiguous, StageTimings Timings)
{
    /// <summary>The subject when it is not in doubt (what enrollment takes); null for no face or an ambiguous photo.</summary>
    public Face? Unambiguous => Ambiguous ? null : Face;
}

/// <summary>The faces found in one image and how long each stage took.</summary>
/// <param name="Faces">Faces, best detection score first.</param>
/// <param name="Timings">Milliseconds per stage.</param>
public sealed record Analysis(IReadOnlyList<Face> Faces, StageTimings Timings);
