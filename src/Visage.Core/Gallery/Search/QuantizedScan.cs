using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Visage.Matching;

namespace Visage.Gallery.Search;

/// <summary>
/// Exact Euclidean top-k in two passes. The first reads only the 8-bit codes: for row <c>x</c> with reconstruction
/// <c>x'</c> and query <c>q</c> (<c>q'</c>), <c>|d(q, x) - d(q', x')| &lt;= |q - q'| + |x - x'|</c>, so every row gets a
/// lower and an upper bound of its true distance; a row is kept when its lower bound is at most the k-th smallest upper
/// bound seen so far. The second computes the float32 distance of the kept rows exactly as a brute-force scan does and
/// ranks them. Every true top-k row has a lower bound under the final k-th upper bound, so the answer is the
/// brute-force answer (recall 1.0), while memory traffic is about a quarter of a float32 scan.
/// </summary>
internal static class QuantizedScan
{
    // Rows per block: the block's codes (128 KB at 128-d) stay in L2 while every query of a batch reads them.
    private const int BlockRows = 1024;

    /// <summary>First pass over rows <c>[start, end)</c> for every query.</summary>
    public static void Filter(QuantizedRows rows, int start, int end, ReadOnlySpan<QuantizedQuery> queries)
    {
        var width = rows.Width;
        var codes = rows.Codes;
        var kernel = ScanKernels.Choice.Current;
        // The bound test of four rows at once: most rows fail it, so only the few that pass take the scalar path.
        var vectorTest = kernel != ScanKernel.Scalar && Avx.IsSupported;
        Span<int> dots = stackalloc int[BlockRows];
        for (var block = start; block < end; block += BlockRows)
        {
            var count = Math.Min(end, block + BlockRows) - block;
            var blockCodes = codes.Slice(block * width, count * width);
            var norms = rows.Norms.Slice(block, count);
            var scales = rows.Scales.Slice(block, count);
            var errors = rows.Errors.Slice(block, count);
            foreach (var q in queries)
            {
                var blockDots = dots[..count];
                Dots(kernel, blockCodes, MemoryMarshal.AsBytes(q.Codes.AsSpan()), blockDots);
                var i = 0;
                if (vectorTest)
                {
                    for (; i + 4 <= count; i += 4)
                    {
                        var mask = MayQualify(q, blockDots[i..], norms[i..], scales[i..], errors[i..]);
                        for (; mask != 0; mask &= mask - 1)
                        {
                            var j = i + System.Numerics.BitOperations.TrailingZeroCount(mask);
                            Test(q, block + j, blockDots[j], norms[j], scales[j], errors[j]);
                        }
                    }
                }
                for (; i < count; i++) Test(q, block + i, blockDots[i], norms[i], scales[i], errors[i]);
            }
        }
    }

    /// <summary>
    /// The lower-bound test of <see cref="Test"/> for four rows in AVX doubles, with the query's current threshold: a bit
    /// per row that may qualify. The same operations in the same order as the scalar test, and the threshold only falls
    /// while the four are offered, so every row the scalar test keeps has its bit set.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint MayQualify(QuantizedQuery q, ReadOnlySpan<int> dots, ReadOnlySpan<float> norms, ReadOnlySpan<float> scales, ReadOnlySpan<float> errors)
    {
        var dot = Avx.ConvertToVector256Double(Vector128.Create(dots) - Vector128.Create(128 * q.CodeSum));
        var d2 = Vector256.Create((double)q.Norm) + Avx.ConvertToVector256Double(Vector128.Create(norms))
            - Vector256.Create(2.0 * q.Scale) * Avx.ConvertToVector256Double(Vector128.Create(scales)) * dot;
        var reach = Vector256.Create((double)q.Threshold) + (Vector256.Create((double)q.Error) + Avx.ConvertToVector256Double(Vector128.Create(errors)));
        // "Not greater" rather than "less or equal": a NaN distance is kept, as the scalar test keeps it.
        return ~Vector256.GreaterThan(d2, reach * reach).ExtractMostSignificantBits() & 0xF;
    }

    /// <summary>Offers one row to the query when its lower bound is under the query's current threshold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Test(QuantizedQuery q, int slot, int rawDot, float norm, float scale, float error)
    {
        var dot = rawDot - 128 * q.CodeSum;
        // In double: |q'|^2 + |x'|^2 - 2 q'.x' cancels badly in float for near-duplicates.
        var d2 = q.Norm + (double)norm - 2.0 * q.Scale * scale * dot;
        var slack = (double)q.Error + error;
        // lower = d - slack <= threshold  <=>  d^2 <= (threshold + slack)^2 (no square root on the common path).
        var reach = q.Threshold + slack;
        if (d2 > reach * reach) return;
        var d = Math.Sqrt(Math.Max(d2, 0));
        q.Offer(slot, (float)(d - slack), (float)(d + slack));
    }

    /// <summary>Second pass: exact distances of the candidates that survive the final threshold, best first.</summary>
    public static int Rank(QuantizedQuery query, VectorRows rows, Span<Hit> best)
    {
        var threshold = query.Threshold;
        var found = 0;
        var width = rows.Width;
        foreach (var (slot, lower) in query.Candidates)
        {
            if (lower > threshold) continue;
            var distance = FaceDistance.Euclidean(query.Vector, rows.Data.Slice(slot * width, width));
            TopK.Insert(new Hit(slot, float.IsNaN(distance) ? float.PositiveInfinity : distance, rows.IdAt(slot)), best, ref found);
        }
        return found;
    }

    /// <summary><c>dots[r] = sum_i rows[r * width + i] * (sbyte)query[i]</c>, with the width of the query.</summary>
    internal static void Dots(ScanKernel kernel, ReadOnlySpan<byte> rows, ReadOnlySpan<byte> query, Span<int> dots)
    {
        if (kernel == ScanKernel.Avx512Vnni)
        {
            Avx512VnniDots.Dots(rows, query, dots);
            return;
        }
        var width = query.Length;
        ref var q = ref MemoryMarshal.GetReference(query);
        for (var r = 0; r < dots.Length; r++) dots[r] = Dot(kernel, rows.Slice(r * width, width), ref q, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Dot(ScanKernel kernel, ReadOnlySpan<byte> row, ref byte query, int width)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        if (kernel == ScanKernel.AvxVnni)
        {
            var acc = Vector256<int>.Zero;
            for (var i = 0; i < width; i += 32)
                acc = AvxVnni.MultiplyWideningAndAdd(acc, Vector256.LoadUnsafe(ref r, (nuint)i), Vector256.LoadUnsafe(ref query, (nuint)i).AsSByte());
            return Vector256.Sum(acc);
        }
        if (kernel == ScanKernel.Avx2)
        {
            var acc = Vector256<int>.Zero;
            for (var i = 0; i < width; i += 16)
            {
                var a = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)i));
                var b = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref query, (nuint)i).AsSByte());
                acc += Avx2.MultiplyAddAdjacent(a, b);
            }
            return Vector256.Sum(acc);
        }
        var sum = 0;
        for (var i = 0; i < width; i++) sum += Unsafe.Add(ref r, i) * (sbyte)Unsafe.Add(ref query, i);
        return sum;
    }
}
