using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// Centroids laid out to be scored against rows in bulk: panels of 16 centroids, each panel holding dimension by
/// dimension the 16 values, so one vector load feeds the fused multiply-adds of four rows. The score of centroid
/// <c>c</c> for row <c>x</c> is <c>|c|^2 - 2 x.c</c>: the squared distance less <c>|x|^2</c>, which ranks centroids for
/// a row. Padding centroids score +infinity. Immutable, so any number of threads may score at once.
/// </summary>
internal sealed class CentroidPanels
{
    /// <summary>Centroids per panel (one 512-bit vector of floats).</summary>
    public const int PanelWidth = 16;

    // Rows scored together: each panel load per dimension feeds four rows' multiply-adds.
    private const int RowBlock = 4;

    private readonly float[] _panels; // panel p, dimension d, lane l at (p * Width + d) * 16 + l
    private readonly float[] _norms;  // |c|^2, +inf for padding

    /// <summary>Lays out <paramref name="count"/> centroids of <paramref name="width"/> values, back to back in <paramref name="centroids"/>.</summary>
    public CentroidPanels(ReadOnlySpan<float> centroids, int count, int width)
    {
        if (count < 1 || width < 1 || centroids.Length < count * width) throw new ArgumentException($"{centroids.Length} values do not hold {count} centroids of {width}");
        Count = count;
        Width = width;
        Panels = (count + PanelWidth - 1) / PanelWidth;
        _panels = new float[Panels * width * PanelWidth];
        _norms = new float[Panels * PanelWidth];
        _norms.AsSpan().Fill(float.PositiveInfinity);
        for (var c = 0; c < count; c++)
        {
            var row = centroids.Slice(c * width, width);
            _norms[c] = TensorPrimitives.Dot(row, row);
            for (var d = 0; d < width; d++) _panels[((c / PanelWidth) * width + d) * PanelWidth + c % PanelWidth] = row[d];
        }
    }

    /// <summary>Number of centroids.</summary>
    public int Count { get; }

    /// <summary>Values per centroid.</summary>
    public int Width { get; }

    /// <summary>Number of panels: scores come out <c>Panels * 16</c> per row.</summary>
    public int Panels { get; }

    /// <summary>Scores per row, padding included.</summary>
    public int Padded => Panels * PanelWidth;

    /// <summary>
    /// Scores of each of the rows (1 to 4, back to back in <paramref name="rows"/>) against every centroid, row by row
    /// into <paramref name="scores"/> (<see cref="Padded"/> per row).
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not fit.</exception>
    /// <exception cref="PlatformNotSupportedException">The kernel does not run here.</exception>
    public void Score(CentroidKernel kernel, ReadOnlySpan<float> rows, Span<float> scores)
    {
        var count = rows.Length / Width;
        if (count < 1 || count > RowBlock || rows.Length != count * Width || scores.Length < count * Padded)
            throw new ArgumentException($"1 to {RowBlock} rows of {Width} and {Padded} scores per row are needed");
        if (!CentroidKernels.Choice.IsSupported(kernel)) throw new PlatformNotSupportedException($"the {kernel} centroid kernel does not run here");
        // Fewer than four rows: the last one is scored again in the spare slots, and those scores are dropped.
        Span<int> offsets = [0, Math.Min(1, count - 1) * Width, Math.Min(2, count - 1) * Width, Math.Min(3, count - 1) * Width];
        for (var p = 0; p < Panels; p++)
        {
            switch (kernel)
            {
                case CentroidKernel.Vector512: Panel512(rows, offsets, p, scores, count); break;
                case CentroidKernel.Vector256: Panel256(rows, offsets, p, scores, count); break;
                default: PanelScalar(rows, count, p, scores); break;
            }
        }
    }

    /// <summary>The nearest centroid of each row (the first of equals), rows split over up to <paramref name="threads"/> threads.</summary>
    public void Nearest(CentroidKernel kernel, ReadOnlySpan<float> rows, Span<int> nearest, int threads = 1)
    {
        var count = rows.Length / Width;
        if (nearest.Length < count) throw new ArgumentException($"{count} rows need {count} answers");
        var blocks = (count + RowBlock - 1) / RowBlock;
        var parts = Math.Max(1, Math.Min(threads, blocks));
        unsafe
        {
            fixed (float* r = rows)
            fixed (int* n = nearest)
            {
                var (rowsAt, nearestAt) = ((nint)r, (nint)n); // spans cannot enter the lambda; the arrays are pinned here
                Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
                {
                    var scores = new float[RowBlock * Padded];
                    var all = new ReadOnlySpan<float>((float*)rowsAt, count * Width);
                    var answers = new Span<int>((int*)nearestAt, count);
                    for (var b = blocks * part / parts; b < blocks * (part + 1) / parts; b++)
                    {
                        var first = b * RowBlock;
                        var n = Math.Min(RowBlock, count - first);
                        Score(kernel, all.Slice(first * Width, n * Width), scores);
                        for (var i = 0; i < n; i++) answers[first + i] = TensorPrimitives.IndexOfMin(scores.AsSpan(i * Padded, Padded));
                    }
                });
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Panel512(ReadOnlySpan<float> rows, ReadOnlySpan<int> offsets, int p, Span<float> scores, int count)
    {
        ref var panel = ref _panels[p * Width * PanelWidth];
        ref float x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), offsets[0]), x1 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), offsets[1]);
        ref float x2 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), offsets[2]), x3 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), offsets[3]);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (var d = 0; d < Width; d++)
        {
            var c = Vector512.LoadUnsafe(ref panel, (nuint)(d * PanelWidth));
            a0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x0, d)), c, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x1, d)), c, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x2, d)), c, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x3, d)), c, a3);
        }
        var norms = Vector512.LoadUnsafe(ref _norms[p * PanelWidth]);
        Span<Vector512<float>> sums = [a0, a1, a2, a3];
        for (var i = 0; i < count; i++) (norms - 2 * sums[i]).CopyTo(scores.Slice(i * Padded + p * PanelWidth, PanelWidth));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Panel256(ReadOnlySpan<float> rows, ReadOnlySpan<int> offsets, int p, Span<float> scores, int count)
    {
        ref var panel = ref _panels[p * Width * PanelWidth];
        ref float x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), offsets[0]), x1 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), offsets[1]);
        ref float x2 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), offsets[2]), x3 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), offsets[3]);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        for (var d = 0; d < Width; d++)
        {
            var c = Vector256.LoadUnsafe(ref panel, (nuint)(d * PanelWidth));
            var e = Vector256.LoadUnsafe(ref panel, (nuint)(d * PanelWidth + 8));
            var v0 = Vector256.Create(Unsafe.Add(ref x0, d));
            var v1 = Vector256.Create(Unsafe.Add(ref x1, d));
            var v2 = Vector256.Create(Unsafe.Add(ref x2, d));
            var v3 = Vector256.Create(Unsafe.Add(ref x3, d));
            a0 = Vector256.FusedMultiplyAdd(v0, c, a0);
            b0 = Vector256.FusedMultiplyAdd(v0, e, b0);
            a1 = Vector256.FusedMultiplyAdd(v1, c, a1);
            b1 = Vector256.FusedMultiplyAdd(v1, e, b1);
            a2 = Vector256.FusedMultiplyAdd(v2, c, a2);
            b2 = Vector256.FusedMultiplyAdd(v2, e, b2);
            a3 = Vector256.FusedMultiplyAdd(v3, c, a3);
            b3 = Vector256.FusedMultiplyAdd(v3, e, b3);
        }
        var low = Vector256.LoadUnsafe(ref _norms[p * PanelWidth]);
        var high = Vector256.LoadUnsafe(ref _norms[p * PanelWidth + 8]);
        Span<Vector256<float>> sums = [a0, b0, a1, b1, a2, b2, a3, b3];
        for (var i = 0; i < count; i++)
        {
            (low - 2 * sums[2 * i]).CopyTo(scores.Slice(i * Padded + p * PanelWidth, 8));
            (high - 2 * sums[2 * i + 1]).CopyTo(scores.Slice(i * Padded + p * PanelWidth + 8, 8));
        }
    }

    private void PanelScalar(ReadOnlySpan<float> rows, int count, int p, Span<float> scores)
    {
        for (var i = 0; i < count; i++)
        {
            var row = rows.Slice(i * Width, Width);
            for (var l = 0; l < PanelWidth; l++)
            {
                var dot = 0f;
                for (var d = 0; d < Width; d++) dot += row[d] * _panels[(p * Width + d) * PanelWidth + l];
                scores[i * Padded + p * PanelWidth + l] = _norms[p * PanelWidth + l] - 2 * dot;
            }
        }
    }
}
