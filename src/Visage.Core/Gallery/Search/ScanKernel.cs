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
    /// <summary>
    /// Every kernel this CPU and OS run (<see cref="ScanKernel.Scalar"/> always), and the one every gallery scan of the
    /// process runs: the fastest, unless set (by the bench, to compare kernels, and by tests, to check each one).
    /// </summary>
    public static Hardware.KernelChoice<ScanKernel> Choice { get; } = new(kernel => kernel switch
    {
        ScanKernel.Avx512Vnni => Avx512VnniDots.IsSupported,
        ScanKernel.AvxVnni => AvxVnni.IsSupported,
        ScanKernel.Avx2 => Avx2.IsSupported,
        _ => kernel == ScanKernel.Scalar,
    });
}
