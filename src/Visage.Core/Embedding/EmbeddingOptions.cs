using Visage.Models;

namespace Visage.Embedding;

/// <summary>Which embedder runs and what is done with its descriptors.</summary>
public sealed record EmbeddingOptions
{
    /// <summary>The registered embedder (default <c>face_recognition_model</c>, dlib's ResNet-34 as ported by face-api.js).</summary>
    public string Embedder { get; init; } = FaceRecognitionNet.EmbedderName;

    /// <summary>Average the descriptors of the chip and its mirror image (default on; one batch of two chips per face).</summary>
    public bool FlipAverage { get; init; } = true;

    /// <summary>
    /// A trained projection head applied to every descriptor (default none). Its vectors get their own model id, so
    /// they never mix with plain descriptors; it must have been trained on this embedder, alignment and flip setting.
    /// Load one with <see cref="ProjectionHeadFile.Load"/>.
    /// </summary>
    public ProjectionHead? Head { get; init; }

    /// <summary>
    /// The embedder's arithmetic (default int8: it scores as well as fp32 in verification and describes a face in
    /// about half the time, docs/BENCHMARKS.md "int8 networks"). Not part of the descriptors' model id: both precisions
    /// describe a face in one embedding space, so a gallery enrolled in one recognizes probes of the other
    /// (docs/ACCURACY.md, "One embedding space for both precisions"). fp32 gives face-api.js's descriptors.
    /// </summary>
    public ModelVariant Precision { get; init; } = ModelVariant.Int8;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">No embedder named.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An unknown precision.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Embedder, nameof(Embedder));
        if (!Enum.IsDefined(Precision)) throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "unknown precision");
    }
}
