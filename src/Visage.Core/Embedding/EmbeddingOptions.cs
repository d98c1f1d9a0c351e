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
    /// The embedder's arithmetic when it differs from the analyzer's <c>Precision</c> (default: the same). An int8
    /// embedder beside fp32 detectors keeps fp32's verification accuracy where int8 detectors do not
    /// (docs/BENCHMARKS.md, "int8 networks").
    /// </summary>
    public ModelVariant? Precision { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">No embedder named.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An unknown precision.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Embedder, nameof(Embedder));
        if (Precision is { } p && !Enum.IsDefined(p)) throw new ArgumentOutOfRangeException(nameof(Precision), p, "unknown precision");
    }
}
