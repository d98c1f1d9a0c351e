using Visage.Imaging;

namespace Visage.Models;

/// <summary>
/// The arithmetic a network runs in. Part of its <see cref="ModelDescriptor.Id"/> (its own cached files), not of its
/// descriptors' embedding space: the variants of one set of weights describe a face within quantization noise of each
/// other (<see cref="ModelDescriptor.WeightsId"/>).
/// </summary>
public enum ModelVariant
{
    /// <summary>32-bit floats (the weights as trained).</summary>
    Fp32,
    /// <summary>8-bit integers, quantized from the fp32 weights.</summary>
    Int8,
}

/// <summary>The order of the colour planes a network reads.</summary>
public enum ColorOrder
{
    /// <summary>Red, green, blue (face-api.js's nets).</summary>
    Rgb,
    /// <summary>Blue, green, red (OpenCV-trained nets such as insightface's).</summary>
    Bgr,
}

/// <summary>How an image region becomes one item of a network's input: padded to a square, resized, normalized.</summary>
/// <param name="Size">Side of the square input in pixels (a detector may be run at another size).</param>
/// <param name="Padding">Where the padding of the shorter side goes.</param>
/// <param name="Normalization">What the 0..255 values become.</param>
/// <param name="Colors">The plane order the network reads.</param>
public sealed record InputFormat(int Size, SquarePadding Padding, PixelNormalization Normalization, ColorOrder Colors = ColorOrder.Rgb);

/// <summary>
/// One network as Visage knows it: its name and version, where its weights come from, how its input is made, and its
/// variant. <see cref="Id"/> names it everywhere (cache files, descriptors' model ids).
/// </summary>
/// <param name="Name">Short unique name, e.g. <c>face_recognition_model</c>.</param>
/// <param name="Version">Version of the weights, e.g. the package version <c>1.7.15</c>.</param>
/// <param name="Source">Where the weights come from and how they are pinned.</param>
/// <param name="Input">How one input item is made.</param>
/// <param name="Variant">The arithmetic (default fp32).</param>
/// <param name="SplitBatches">
/// Each batch of two or more items runs as two halves side by side (<see cref="AcrossCores"/>) instead of as one: for a
/// network whose layers are too small to keep both cores busy within one run (docs/BENCHMARKS.md, "Small networks
/// side by side").
/// </param>
public sealed record ModelDescriptor(string Name, string Version, ModelSource Source, InputFormat Input, ModelVariant Variant = ModelVariant.Fp32, bool SplitBatches = false)
{
    /// <summary><c>name@version</c> for fp32, <c>name@version+int8</c> for int8: the network's own files and caches.</summary>
    public string Id => Variant == ModelVariant.Fp32 ? WeightsId : $"{WeightsId}+{Variant.ToString().ToLowerInvariant()}";

    /// <summary>
    /// <c>name@version</c>: the trained weights every variant is made from, and so the embedding space an embedder's
    /// descriptors live in whatever its arithmetic. The int8 recognition net's descriptors are 0.03-0.05 from fp32's
    /// (under a tenth of the match threshold, less than a detector's box change moves them) and an fp32 gallery recognizes
    /// int8 probes as well as its own (docs/ACCURACY.md, "One embedding space for both precisions").
    /// </summary>
    public string WeightsId => $"{Name}@{Version}";

    /// <inheritdoc />
    public override string ToString() => Id;
}
