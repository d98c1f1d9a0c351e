namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// What an inverted file with product quantization makes of a vector: its list (nearest coarse centroid) and the 4-bit
/// codes of its residual from that centroid. Residuals are smaller than the vectors, so 16 centroids per 4 values
/// describe them closer. Immutable; trained once from a sample of the gallery.
/// </summary>
internal sealed class VectorCoder(CoarseQuantizer coarse, ProductQuantizer product)
{
    /// <summary>The coarse centroids.</summary>
    public CoarseQuantizer Coarse { get; } = coarse;

    /// <summary>The residuals' product quantizer.</summary>
    public ProductQuantizer Product { get; } = product;

    /// <summary>Values per vector.</summary>
    public int Width => Coarse.Width;

    /// <summary>Codes per vector.</summary>
    public int Subquantizers => Product.Subquantizers;

    /// <summary>
    /// Lists for a gallery of <paramref name="faces"/>: the power of two at or above twice the square root, at most
    /// <see cref="MaxLists"/> (20,000 faces: 512; 1M and 10M: 2,048), at least 16.
    /// </summary>
    public static int ListsFor(long faces) => (int)Math.Clamp(System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Ceiling(2 * Math.Sqrt(faces))), 16, MaxLists);

    /// <summary>
    /// The most lists <see cref="ListsFor"/> chooses. More lists need a smaller share probed for the same recall, but
    /// building costs faces x lists multiply-adds (k-means and coding): at 10M faces and 2,048 lists about 2.6 T, minutes
    /// on this 2-core machine. Measured with the bench's synthetic faces: 1M faces, 2,048 lists, 1/16 probed: recall@10
    /// 0.9994; 10M faces, 2,048 lists, 1/8 probed: 0.9997.
    /// </summary>
    public const int MaxLists = 2048;

    /// <summary>Learns the coarse centroids from <paramref name="sample"/>, then the product quantizer from the sample's residuals.</summary>
    public static VectorCoder Train(ReadOnlySpan<float> sample, int width, int lists, int seed, int threads)
    {
        var count = sample.Length / width;
        var coarse = CoarseQuantizer.Train(sample, width, Math.Min(lists, count), seed, threads);
        var assigned = new int[count];
        coarse.Assign(sample, assigned, threads);
        var residuals = new float[sample.Length];
        for (var i = 0; i < count; i++) Residual(sample.Slice(i * width, width), coarse.Centroid(assigned[i]), residuals.AsSpan(i * width, width));
        return new VectorCoder(coarse, ProductQuantizer.Train(residuals, width, seed + 1, threads));
    }

    /// <summary>The codes of <paramref name="vector"/> in list <paramref name="list"/>.</summary>
    public void Encode(ReadOnlySpan<float> vector, int list, Span<byte> codes)
    {
        Span<float> residual = stackalloc float[Width];
        Residual(vector, Coarse.Centroid(list), residual);
        Product.Encode(residual, codes);
    }

    /// <summary>The list of one vector.</summary>
    public int ListOf(ReadOnlySpan<float> vector)
    {
        Span<int> list = stackalloc int[1];
        Coarse.Assign(vector, list, threads: 1);
        return list[0];
    }

    /// <summary>
    /// The distance table of <paramref name="query"/> for the codes of list <paramref name="list"/>, less each
    /// sub-quantizer's smallest entry (see <see cref="ProductQuantizer.RelativeTable"/>); returns the sum of those.
    /// </summary>
    public float RelativeTable(ReadOnlySpan<float> query, int list, Span<float> table, out float spread)
    {
        Span<float> residual = stackalloc float[Width];
        Residual(query, Coarse.Centroid(list), residual);
        return Product.RelativeTable(residual, table, out spread);
    }

    private static void Residual(ReadOnlySpan<float> vector, ReadOnlySpan<float> centroid, Span<float> residual) =>
        System.Numerics.Tensors.TensorPrimitives.Subtract(vector, centroid, residual);
}
