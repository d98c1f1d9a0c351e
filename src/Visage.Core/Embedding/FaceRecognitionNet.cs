using Visage.Imaging;
using Visage.Models;

namespace Visage.Embedding;

/// <summary>
/// The 128-d face descriptor net. Each chip is a rectangle of an image, padded centered to a square and resized
/// to 150 (face-api.js's <c>toBatchTensor(150, true)</c>); a 150x150 chip passes through unchanged. The chips of
/// one call run in batches of at most <see cref="BatchedRun.MaxItems"/>.
/// </summary>
public sealed class FaceRecognitionNet(ModelRepository models)
{
    private static readonly PixelNormalization Normalization = new(122.782f, 117.001f, 104.298f, 255f);

    private OnnxNet Net => models.Get(FaceRecognitionGraph.NetName, FaceRecognitionGraph.ConverterVersion, FaceRecognitionGraph.Build);

    /// <summary>One descriptor (128 floats, not normalized) per chip, in order.</summary>
    public float[][] Describe(IReadOnlyList<ChipSource> chips)
    {
        if (chips.Count == 0) return [];
        const int size = FaceRecognitionGraph.InputSize;
        const int item = 3 * size * size;
        var buffer = OnnxNet.RentBuffer(item * chips.Count);
        float[] output;
        try
        {
            for (var k = 0; k < chips.Count; k++)
                SquareInput.Write(chips[k].Image, chips[k].Crop, SquarePadding.Centered, size, Normalization, buffer.AsSpan(k * item, item));
            output = Net.RunInBatches(buffer, chips.Count, [3, size, size]);
        }
        finally
        {
            OnnxNet.ReturnBuffer(buffer);
        }
        return Enumerable.Range(0, chips.Count).Select(k => output.AsSpan(k * 128, 128).ToArray()).ToArray();
    }
}

/// <summary>A rectangle of an image to describe: a whole aligned chip, or face-api.js's descriptor box.</summary>
/// <param name="Image">Source image.</param>
/// <param name="Crop">Rectangle inside it.</param>
public readonly record struct ChipSource(RgbImage Image, PixelRect Crop)
{
    /// <summary>The whole image as the chip.</summary>
    public static ChipSource Whole(RgbImage image) => new(image, new PixelRect(0, 0, image.Width, image.Height));

    /// <summary>The chip's pixels as an image of their own (the image itself when the crop covers all of it).</summary>
    public RgbImage ToImage() =>
        Crop == new PixelRect(0, 0, Image.Width, Image.Height) ? Image : Image.Crop(Crop.X, Crop.Y, Crop.Width, Crop.Height);
}
