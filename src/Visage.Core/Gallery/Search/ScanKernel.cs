using System.Runtime.Intrinsics.X86;

namespace Visage.Gallery.Search;

/// <summary>The dot-product kernels of the 8-bit gallery scan, fastest first.</summary>
public enum ScanKernel
{
    /// <summary>512-bit <c>VPDPBUSD</c> (AVX-512 VNNI): 64 byte products per instruction.</summary>
    Avx512Vnni,

    /// <summary>256-bit <c>VPDPBUSD</c> (AVX-VNNI, VEX-encoded): 32 byte products per instruction.</summary>
    AvxVnni,

    /// <summary>Widen bytes to 16 bits, then <c>VPMADDWD</c> (AVX2): 16 byte products per two instructions.</summary>
    Avx2,

    /// <summary>Plain C#: runs everywhere.</summary>
    Scalar,
}

/// <summary>Which <see cref="ScanKernel"/>s the CPU at hand runs, and the one the gallery scan picks.</summary>
public static class ScanKernels
{
    /// <summary>Every kernel this CPU and OS run, fastest first; <see cref="ScanKernel.Scalar"/> is always among them.</summary>
    public static IReadOnlyList<ScanKernel> Supported { get; } = [.. Enum.GetValues<ScanKernel>().Where(IsSupported)];

    /// <summary>The fastest supported kernel: what the scan uses unless <see cref="Current"/> is set.</summary>
    public static ScanKernel Best => Supported[0];

    private static ScanKernel _current = Best;

    /// <summary>
    /// The kernel every gallery scan of the process runs: <see cref="Best"/> unless set (by the bench, to compare
    /// kernels, and by tests, to check each one).
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Set to a kernel this CPU cannot run.</exception>
    public static ScanKernel Current
    {
        get => _current;
        set => _current = IsSupported(value) ? value
            : throw new PlatformNotSupportedException($"the {value} scan kernel does not run on this CPU ({Hardware.CpuInfo.Model})");
    }

    /// <summary>Whether <paramref name="kernel"/> can run here (its instructions exist on this CPU and the OS enables them).</summary>
    public static bool IsSupported(ScanKernel kernel) => kernel switch
    {
        ScanKernel.Avx512Vnni => Avx512VnniDots.IsSupported,
        ScanKernel.AvxVnni => AvxVnni.IsSupported,
        ScanKernel.Avx2 => Avx2.IsSupported,
        ScanKernel.Scalar => true,
        _ => false,
    };
}
