using Visage.Alignment;
using Visage.Imaging;
using Visage.Models;

namespace Visage.Embedding;

/// <summary>
/// The 128-d face descriptor net. Each chip is a rectangle of an image, padded centered to a square and resized
/// to 150 (face-api.js's <c>toBatchTensor(150, true)</c>); a 150x150 chip passes through unchanged. The chips of
/// one call run in batches of at most <see cref="SquareBatch.MaxItems"/>.
/// </summary>
public sealed class FaceRecognitionNet(ModelRepository models, ModelDescriptor model) : IFaceEmbedder
{
    /// <summary>The embedder's registered name (the default embedder).</summary>
    public const string EmbedderName = FaceRecognitionGraph.NetName;

    /// <summary>face-api.js's port of dlib's ResNet-34 descriptor net, at 150, values centred on the training means.</summary>
    public static ModelDescriptor Fp32 { get; } = new(
        FaceRecognitionGraph.NetName, ModelCatalog.PackageVersion,
        new TfjsSource(ModelCatalog.Get(FaceRecognitionGraph.NetName), FaceRecognitionGraph.ConverterVersion, FaceRecognitionGraph.Build),
        new InputFormat(FaceRecognitionGraph.InputSize, SquarePadding.Centered, new PixelNormalization(122.782f, 117.001f, 104.298f, 255f)));

    /// <summary>The int8 variant: the same weights quantized per channel, activations from the shipped calibration.</summary>
    public static ModelDescriptor Int8 { get; } = QdqQuantizer.Int8Variant(Fp32);

    /// <inheritdoc />
    public string Name => EmbedderName;

    /// <inheritdoc />
    public ModelDescriptor Model => model;

    /// <inheritdoc />
    public float[][] Describe(IReadOnlyList<ChipSource> chips) => models.Get(model).DescribeChips(model, chips);
}
