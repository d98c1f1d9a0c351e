using System.Runtime.Intrinsics.X86;
using Visage.Hardware;

namespace Visage.Gallery.Search.Compressed;

/// <summary>The kernels that add up 4-bit product-quantization codes through in-register lookup tables, fastest first.</summary>
public enum FastScanKernel
{
    /// <summary>512-bit <c>VPSHUFB</c> (AVX-512BW): four sub-quantizers' tables per instruction, 32 codes at a time.</summary>
    Avx512Bw,

    /// <summary>256-bit <c>VPSHUFB</c> (AVX2): two sub-quantizers' tables per instruction.</summary>
    Avx2,

    /// <summary>Plain C#: runs everywhere.</summary>
    Scalar,
}

/// <summary>Which <see cref="FastScanKernel"/>s the CPU at hand runs, and the one the compressed gallery scan picks.</summary>
public static class FastScanKernels
{
    /// <summary>Every kernel this CPU runs (<see cref="FastScanKernel.Scalar"/> always), and the one the process runs: the fastest unless set.</summary>
    public static KernelChoice<FastScanKernel> Choice { get; } = new(kernel => kernel switch
    {
        FastScanKernel.Avx512Bw => Avx512BW.IsSupported,
        FastScanKernel.Avx2 => Avx2.IsSupported,
        _ => kernel == FastScanKernel.Scalar,
    });
}
