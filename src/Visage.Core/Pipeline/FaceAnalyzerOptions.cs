using Visage.Alignment;
using Visage.Detection;
using Visage.Embedding;
using Visage.Landmarks;
using Visage.Models;

namespace Visage.Pipeline;

/// <summary>Options of the pipeline, one record per stage; the defaults are the recommended settings.</summary>
public sealed record FaceAnalyzerOptions
{
    /// <summary>How faces are found (default <see cref="DetectionMode.Thorough"/>).</summary>
    public DetectionMode Mode { get; init; } = DetectionMode.Thorough;

    /// <summary>The detector, its threshold and the smallest face kept.</summary>
    public DetectionOptions Detection { get; init; } = new();

    /// <summary>What the thorough mode does beyond one pass (tiles, fallback, rejection).</summary>
    public FaceFinderOptions Finder { get; init; } = new();

    /// <summary>The landmark net.</summary>
    public LandmarkOptions Landmarks { get; init; } = new();

    /// <summary>How chips are cut.</summary>
    public AlignmentOptions Alignment { get; init; } = new();

    /// <summary>The embedder, flip averaging and projection head.</summary>
    public EmbeddingOptions Embedding { get; init; } = new();

    /// <summary>
    /// The arithmetic of the face detectors that have an int8 variant (default int8: SSD in int8 finds fp32's faces
    /// and scores as well in verification, in about half the time: docs/BENCHMARKS.md, "int8 networks"; Tiny has no
    /// int8 variant and runs fp32, as do the landmark nets). The embedder's is <see cref="EmbeddingOptions.Precision"/>.
    /// </summary>
    public ModelVariant Precision { get; init; } = ModelVariant.Int8;

    /// <summary>
    /// The variant of a stage's network these options run: <see cref="EmbeddingOptions.Precision"/> for the embedder,
    /// <see cref="Precision"/> for the others, where that variant exists, else fp32.
    /// </summary>
    /// <param name="registry">Where the stage is registered (default <see cref="VisageModels.Registry"/>).</param>
    /// <param name="name">The stage's network name.</param>
    public ModelVariant VariantOf<TStage>(ModelRegistry? registry, string name) where TStage : class =>
        (registry ?? VisageModels.Registry).VariantOrFp32<TStage>(name,
            typeof(TStage) == typeof(IFaceEmbedder) ? Embedding.Precision : Precision);

    /// <summary>The options that reproduce face-api.js exactly: one fp32 SSD pass at 0.5, full landmarks, its crop, no flip.</summary>
    public static FaceAnalyzerOptions FaceApiParity { get; } = new()
    {
        Mode = DetectionMode.FaceApi,
        Precision = ModelVariant.Fp32,
        Alignment = new AlignmentOptions { Mode = AlignmentMode.FaceApi },
        Embedding = new EmbeddingOptions { FlipAverage = false, Precision = ModelVariant.Fp32 },
    };

    /// <summary>
    /// The embedding space of the embedder's descriptors with this alignment and flip setting, before any projection
    /// head (<see cref="EmbeddingModel.Id"/>).
    /// </summary>
    /// <param name="registry">Where the embedder is registered (default <see cref="VisageModels.Registry"/>).</param>
    /// <exception cref="ArgumentException">No such embedder.</exception>
    public string BaseModelId(ModelRegistry? registry = null) =>
        EmbeddingModel.Id((registry ?? VisageModels.Registry).Model<IFaceEmbedder>(Embedding.Embedder).WeightsId,
            Alignment.Mode, Embedding.FlipAverage);

    /// <summary>The embedding space of the vectors these options produce: the head's when there is one, else <see cref="BaseModelId"/>.</summary>
    /// <param name="registry">Where the embedder is registered (default <see cref="VisageModels.Registry"/>).</param>
    public string ModelId(ModelRegistry? registry = null) => Embedding.Head?.ModelId ?? BaseModelId(registry);

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentException">A stage names nothing.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "unknown detection mode");
        if (!Enum.IsDefined(Precision)) throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "unknown precision");
        Detection.Validate();
        Finder.Validate();
        Landmarks.Validate();
        Alignment.Validate();
        Embedding.Validate();
    }

    /// <summary>Every setting, for fingerprints and cache keys (a head by its id, since its weights are not text).</summary>
    public override string ToString() => FormattableString.Invariant(
        $"mode={Mode} precision={Precision} detection={Detection} finder={Finder} landmarks={Landmarks.Net} alignment={Alignment.Mode} embedder={Embedding.Embedder} embedder-precision={Embedding.Precision} flip={Embedding.FlipAverage} head={Embedding.Head?.ModelId ?? "none"}");
}
