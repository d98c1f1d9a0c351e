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
        if (!ScanKernels.IsSupported(kernel))
        {
            Assert.NotEqual(kernel, ScanKernels.Best);
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
    public void The_best_kernel_is_the_first_supported_and_scalar_is_always_supported()
    {
        Assert.Contains(ScanKernel.Scalar, ScanKernels.Supported);
        Assert.Equal(ScanKernels.Supported[0], ScanKernels.Best);
        Assert.Equal(Enum.GetValues<ScanKernel>().First(ScanKernels.IsSupported), ScanKernels.Best);
        lock (QuantizedSearchTests.KernelLock) Assert.Equal(ScanKernels.Best, ScanKernels.Current);
    }

    [Fact]
    public void Detected_kernels_agree_with_the_flags_the_linux_kernel_reports()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.False(ScanKernels.IsSupported(ScanKernel.Avx512Vnni));
            return;
        }
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        // .NET can be told to leave an instruction set alone (DOTNET_EnableAVX512F=0 and the like): then a kernel the CPU
        // has is not offered, but a kernel is never offered without its CPU flag.
        var restricted = Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("DOTNET_Enable", StringComparison.OrdinalIgnoreCase));
        foreach (var (kernel, flag) in new[] { (ScanKernel.Avx512Vnni, "avx512_vnni"), (ScanKernel.AvxVnni, "avx_vnni"), (ScanKernel.Avx2, "avx2") })
        {
            if (ScanKernels.IsSupported(kernel)) Assert.Contains(flag, flags);
            else if (!restricted) Assert.DoesNotContain(flag, flags);
        }
    }
}
