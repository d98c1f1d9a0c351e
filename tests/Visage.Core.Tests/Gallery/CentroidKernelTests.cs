using Visage.Gallery.Search.Compressed;

namespace Visage.Tests.Gallery;

/// <summary>
/// Each centroid-scoring kernel (fused multiply-adds over panels of 16 centroids) against a naive loop, on the CPU at
/// hand; the nearest centroid it picks is the nearest one; kernels the CPU lacks are never chosen and are refused.
/// </summary>
public sealed class CentroidKernelTests
{
    public static TheoryData<CentroidKernel> Kernels => [.. Enum.GetValues<CentroidKernel>()];

    private static void WithKernel(CentroidKernel kernel, Action test) => KernelTesting.With(CentroidKernels.Choice, kernel, test);

    private static float[] Random(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Scores_equal_a_naive_loop_for_one_to_four_rows_and_any_centroid_count(CentroidKernel kernel) => WithKernel(kernel, () =>
    {
        var rng = new Random(21);
        foreach (var (count, width) in new[] { (1, 4), (15, 4), (16, 128), (17, 128), (100, 128), (33, 7) })
        {
            var centroids = Random(rng, count * width);
            var panels = new CentroidPanels(centroids, count, width);
            for (var rows = 1; rows <= 4; rows++)
            {
                var x = Random(rng, rows * width);
                var scores = new float[rows * panels.Padded];
                panels.Score(kernel, x, scores);
                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c < count; c++)
                    {
                        double norm = 0, dot = 0;
                        for (var d = 0; d < width; d++)
                        {
                            norm += centroids[c * width + d] * (double)centroids[c * width + d];
                            dot += x[r * width + d] * (double)centroids[c * width + d];
                        }
                        Assert.Equal(norm - 2 * dot, scores[r * panels.Padded + c], 1e-3);
                    }
                    for (var c = count; c < panels.Padded; c++) Assert.Equal(float.PositiveInfinity, scores[r * panels.Padded + c]);
                }
            }
        }
    });

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Nearest_picks_the_nearest_centroid_on_one_thread_or_two(CentroidKernel kernel) => WithKernel(kernel, () =>
    {
        var rng = new Random(22);
        const int Count = 70, Width = 128, Rows = 203;
        var centroids = Random(rng, Count * Width);
        var rows = Random(rng, Rows * Width);
        var panels = new CentroidPanels(centroids, Count, Width);
        foreach (var threads in new[] { 1, 2 })
        {
            var nearest = new int[Rows];
            panels.Nearest(kernel, rows, nearest, threads);
            for (var r = 0; r < Rows; r++)
            {
                var distances = Enumerable.Range(0, Count).Select(c => Distance(rows.AsSpan(r * Width, Width), centroids.AsSpan(c * Width, Width))).ToArray();
                // Float sums in another order may swap two centroids within rounding; the one picked is as near as the nearest.
                Assert.Equal(distances.Min(), distances[nearest[r]], 1e-4);
            }
        }
    });

    [Fact]
    public void The_best_kernel_is_the_first_supported_and_the_wide_ones_only_where_accelerated()
    {
        KernelTesting.BestIsFirstSupported(CentroidKernels.Choice);
        Assert.Equal(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, CentroidKernels.Choice.IsSupported(CentroidKernel.Vector512));
        Assert.Equal(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, CentroidKernels.Choice.IsSupported(CentroidKernel.Vector256));
        foreach (var kernel in Enum.GetValues<CentroidKernel>().Where(k => !CentroidKernels.Choice.IsSupported(k)))
            Assert.Throws<PlatformNotSupportedException>(() => new CentroidPanels(new float[4], 1, 4).Score(kernel, new float[4], new float[16]));
    }

    private static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += (a[i] - (double)b[i]) * (a[i] - (double)b[i]);
        return sum;
    }
}
