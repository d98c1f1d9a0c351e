using Visage.Alignment;
using Visage.Models;

namespace Visage.Embedding;

/// <summary>Turns aligned face chips into descriptors: same person, small Euclidean distance.</summary>
public interface IFaceEmbedder
{
    /// <summary>The name the embedder is registered and chosen by.</summary>
    string Name { get; }

    /// <summary>The network it runs; its weights' id starts every descriptor's model id (see <see cref="EmbeddingModel.Id"/>).</summary>
    ModelDescriptor Model { get; }

    /// <summary>One descriptor per chip, in order (<see cref="Faces.FaceEmbedding.Dimensions"/> values, not normalized).</summary>
    float[][] Describe(IReadOnlyList<ChipSource> chips);
}

/// <summary>What every embedder does the same way.</summary>
public static class FaceEmbedderExtensions
{
    /// <summary>The side of the square chip the embedder reads: the alignment cuts chips of this size.</summary>
    public static int ChipSize(this IFaceEmbedder embedder) => embedder.Model.Input.Size;

    /// <summary>
    /// The network's rows for the chips through the shared square-input runner, one descriptor per chip: what an
    /// embedder whose network takes a square chip and outputs one vector does.
    /// </summary>
    public static float[][] DescribeChips(this OnnxNet net, ModelDescriptor model, IReadOnlyList<ChipSource> chips)
    {
        var output = net.RunMany(model, [.. chips.Select(c => (c.Image, c.Crop))]);
        var row = chips.Count == 0 ? 0 : output.Length / chips.Count;
        return [.. Enumerable.Range(0, chips.Count).Select(k => output.AsSpan(k * row, row).ToArray())];
    }

    /// <summary>
    /// One descriptor per chip, the mean of the chip's and its mirror image's (one batch of both): measured on LFW,
    /// 98.59% to 98.67% with the dlib chip (DESIGN.md).
    /// </summary>
    public static float[][] DescribeWithMirror(this IFaceEmbedder embedder, IReadOnlyList<ChipSource> chips)
    {
        var batch = new List<ChipSource>(chips.Count * 2);
        foreach (var c in chips)
        {
            batch.Add(c);
            batch.Add(ChipSource.Whole(c.ToImage().FlipHorizontal()));
        }
        var both = embedder.Describe(batch);
        var result = new float[chips.Count][];
        for (var i = 0; i < chips.Count; i++)
        {
            result[i] = new float[both[2 * i].Length];
            for (var k = 0; k < result[i].Length; k++) result[i][k] = (both[2 * i][k] + both[2 * i + 1][k]) / 2;
        }
        return result;
    }
}
