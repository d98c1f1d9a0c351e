using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// Product quantization with 4-bit codes: a vector of <see cref="Width"/> values is cut into sub-vectors of 4, and each
/// is replaced by the nearest of 16 centroids learned for its place (k-means), so a 128-value descriptor becomes 32
/// codes of 4 bits: 16 bytes instead of 512. The distance from a query to a coded vector is then the sum of 32 table
/// entries (<see cref="Table"/>), which <see cref="FastScan"/> adds up 32 codes at a time. Immutable.
/// </summary>
internal sealed class ProductQuantizer
{
    /// <summary>Values per sub-vector.</summary>
    public const int SubWidth = 4;

    /// <summary>Centroids per sub-quantizer (4 bits).</summary>
    public const int Centroids = 16;

    // Lloyd iterations per sub-quantizer: the 16 centroids of 4-d points settle well before this.
    private const int TrainingIterations = 16;

    private readonly float[] _codebook; // sub-quantizer m, value t, centroid j at (m * 4 + t) * 16 + j

    /// <summary>A quantizer from its codebook (as <see cref="Codebook"/> gives it).</summary>
    /// <exception cref="ArgumentException">The codebook does not fit the width.</exception>
    public ProductQuantizer(float[] codebook, int width)
    {
        if (width % SubWidth != 0 || codebook.Length != width * Centroids) throw new ArgumentException($"a codebook for width {width} has {width * Centroids} values");
        _codebook = codebook;
        Width = width;
    }

    /// <summary>Values per vector.</summary>
    public int Width { get; }

    /// <summary>Sub-quantizers: codes per vector.</summary>
    public int Subquantizers => Width / SubWidth;

    /// <summary>The codebook, for saving.</summary>
    public ReadOnlySpan<float> Codebook => _codebook;

    /// <summary>Learns the 16 centroids of every sub-vector from <paramref name="rows"/> (back to back, <paramref name="width"/> each).</summary>
    public static ProductQuantizer Train(ReadOnlySpan<float> rows, int width, int seed, int threads)
    {
        var count = rows.Length / width;
        var codebook = new float[width * Centroids];
        var part = new float[count * SubWidth];
        for (var m = 0; m < width / SubWidth; m++)
        {
            for (var i = 0; i < count; i++) rows.Slice(i * width + m * SubWidth, SubWidth).CopyTo(part.AsSpan(i * SubWidth));
            var centroids = KMeans.Train(part, SubWidth, Centroids, TrainingIterations, seed + m, threads);
            for (var j = 0; j < Centroids; j++)
                for (var t = 0; t < SubWidth; t++) codebook[(m * SubWidth + t) * Centroids + j] = centroids[j * SubWidth + t];
        }
        return new ProductQuantizer(codebook, width);
    }

    /// <summary>
    /// The distance table of a (residual) query: <c>table[16 m + j] = |q_m - c_mj|^2</c>, so the squared distance to a
    /// coded vector is the sum over <c>m</c> of its codes' entries.
    /// </summary>
    public void Table(ReadOnlySpan<float> query, Span<float> table)
    {
        for (var m = 0; m < Subquantizers; m++)
        {
            Distances(query, m, out var d0, out var d1, out var d2, out var d3);
            Store(table.Slice(m * Centroids, Centroids), d0, d1, d2, d3);
        }
    }

    /// <summary>
    /// The table less each sub-quantizer's smallest entry (what an 8-bit table holds); returns the sum of those
    /// smallest entries (the distance every code shares) and the largest spread of one sub-quantizer's entries.
    /// </summary>
    public float RelativeTable(ReadOnlySpan<float> query, Span<float> table, out float spread)
    {
        var bias = 0f;
        spread = 0f;
        for (var m = 0; m < Subquantizers; m++)
        {
            Distances(query, m, out var d0, out var d1, out var d2, out var d3);
            var min = Vector128.Create(Lowest(Vector128.Min(Vector128.Min(d0, d1), Vector128.Min(d2, d3))));
            var max = Vector128.Max(Vector128.Max(d0, d1), Vector128.Max(d2, d3)) - min;
            bias += min.ToScalar();
            spread = MathF.Max(spread, -Lowest(-max));
            Store(table.Slice(m * Centroids, Centroids), d0 - min, d1 - min, d2 - min, d3 - min);
        }
        return bias;
    }

    // Four centroids per 128-bit vector: accelerated on every CPU .NET runs on.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Distances(ReadOnlySpan<float> query, int m, out Vector128<float> d0, out Vector128<float> d1, out Vector128<float> d2, out Vector128<float> d3)
    {
        (d0, d1, d2, d3) = (default, default, default, default);
        ref var q = ref Unsafe.Add(ref MemoryMarshal.GetReference(query[..Width]), m * SubWidth);
        ref var c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_codebook), m * SubWidth * Centroids);
        for (var t = 0; t < SubWidth; t++)
        {
            var v = Vector128.Create(Unsafe.Add(ref q, t));
            var e0 = v - Vector128.LoadUnsafe(ref c, (nuint)(t * Centroids));
            var e1 = v - Vector128.LoadUnsafe(ref c, (nuint)(t * Centroids + 4));
            var e2 = v - Vector128.LoadUnsafe(ref c, (nuint)(t * Centroids + 8));
            var e3 = v - Vector128.LoadUnsafe(ref c, (nuint)(t * Centroids + 12));
            d0 = Vector128.FusedMultiplyAdd(e0, e0, d0);
            d1 = Vector128.FusedMultiplyAdd(e1, e1, d1);
            d2 = Vector128.FusedMultiplyAdd(e2, e2, d2);
            d3 = Vector128.FusedMultiplyAdd(e3, e3, d3);
        }
    }

    private static float Lowest(Vector128<float> v)
    {
        v = Vector128.Min(v, Vector128.Shuffle(v, Vector128.Create(2, 3, 0, 1)));
        return MathF.Min(v.GetElement(0), v.GetElement(1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Span<float> row, Vector128<float> d0, Vector128<float> d1, Vector128<float> d2, Vector128<float> d3)
    {
        ref var r = ref MemoryMarshal.GetReference(row[..Centroids]);
        d0.StoreUnsafe(ref r);
        d1.StoreUnsafe(ref r, 4);
        d2.StoreUnsafe(ref r, 8);
        d3.StoreUnsafe(ref r, 12);
    }

    /// <summary>
    /// <c>bytes[i] = round(table[i] / scale)</c>, at most 255, for a table of non-negative entries (an 8-bit table for
    /// <see cref="FastScan"/>).
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> table, float scale, Span<byte> bytes)
    {
        var inverse = Vector128.Create(1 / scale);
        var half = Vector128.Create(0.5f);
        var top = Vector128.Create(255f);
        ref var t = ref MemoryMarshal.GetReference(table);
        ref var b = ref MemoryMarshal.GetReference(bytes[..(table.Length / 16 * 16)]);
        for (var i = 0; i + 16 <= table.Length; i += 16)
        {
            var q0 = Vector128.ConvertToInt32(Vector128.Min(Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref t, (nuint)i), inverse, half), top));
            var q1 = Vector128.ConvertToInt32(Vector128.Min(Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref t, (nuint)i + 4), inverse, half), top));
            var q2 = Vector128.ConvertToInt32(Vector128.Min(Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref t, (nuint)i + 8), inverse, half), top));
            var q3 = Vector128.ConvertToInt32(Vector128.Min(Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref t, (nuint)i + 12), inverse, half), top));
            Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3)).AsByte().StoreUnsafe(ref b, (nuint)i);
        }
    }

    /// <summary>The code (0..15, one per byte) of each sub-vector: its nearest centroid.</summary>
    public void Encode(ReadOnlySpan<float> vector, Span<byte> codes)
    {
        Span<float> table = stackalloc float[Subquantizers * Centroids];
        Table(vector, table);
        for (var m = 0; m < Subquantizers; m++) codes[m] = (byte)TensorPrimitives.IndexOfMin(table.Slice(m * Centroids, Centroids));
    }

    /// <summary>The vector the codes stand for.</summary>
    public void Decode(ReadOnlySpan<byte> codes, Span<float> vector)
    {
        for (var m = 0; m < Subquantizers; m++)
            for (var t = 0; t < SubWidth; t++) vector[m * SubWidth + t] = _codebook[(m * SubWidth + t) * Centroids + codes[m]];
    }
}
