using Visage.Gallery.Search;
using Visage.Gallery;

namespace Visage.Tests.Gallery;

/// <summary>
/// Each dot-product kernel of the 8-bit scan against a naive loop over widths and row counts, on the CPU at hand; the
/// kernels it lacks are never chosen; and what the runtime detects agrees with what the Linux kernel reports.
/// </summary>
public sealed class ScanKernelTests
{
    public static TheoryData<ScanKernel> Kernels => [.. Enum.GetValues<ScanKernel>()];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Dots_equal_a_naive_loop_at_every_width_and_row_count(ScanKernel kernel)
    {
        if (!ScanKernels.Choice.IsSupported(kernel))
        {
            Assert.NotEqual(kernel, ScanKernels.Choice.Best);
            Assert.Throws<PlatformNotSupportedException>(() => QuantizedScan.Dots(kernel, new byte[64], new byte[64], new int[1]));
            return;
        }
        var rng = new Random(12);
        foreach (var width in new[] { 64, 128, 192, 512 })
        {
            foreach (var count in new[] { 0, 1, 2, 3, 17, 1024 })
            {
                var rows = new byte[width * count];
                var query = new byte[width];
                rng.NextBytes(rows);
                rng.NextBytes(query);
                // The extremes: 255 x -128 everywhere must not saturate anywhere.
                if (count > 1) Array.Fill(rows, (byte)255, width, width);
                if (width == 512) Array.Fill(query, (byte)0x80);
                var dots = new int[count];
                QuantizedScan.Dots(kernel, rows, query, dots);
                for (var r = 0; r < count; r++)
                {
                    var expected = 0;
                    for (var i = 0; i < width; i++) expected += rows[r * width + i] * (sbyte)query[i];
                    Assert.Equal(expected, dots[r]);
                }
            }
        }
    }

    [Fact]
    public void The_best_kernel_is_the_first_supported_and_scalar_is_always_supported() => KernelTesting.BestIsFirstSupported(ScanKernels.Choice);

    [Fact]
    public void Detected_kernels_agree_with_the_flags_the_linux_kernel_reports() => KernelTesting.AgreesWithCpuFlags(ScanKernels.Choice,
        (ScanKernel.Avx512Vnni, "avx512_vnni"), (ScanKernel.AvxVnni, "avx_vnni"), (ScanKernel.Avx2, "avx2"));
}
