using Visage.Hardware;

namespace Visage.Gallery.Search.Compressed;

/// <summary>The kernels that score rows against many centroids (k-means, list assignment, the probe order), fastest first.</summary>
public enum CentroidKernel
{
    /// <summary>512-bit fused multiply-adds: 16 centroids per instruction.</summary>
    Vector512,

    /// <summary>256-bit fused multiply-adds: 8 centroids per instruction.</summary>
    Vector256,

    /// <summary>Plain C#: runs everywhere.</summary>
    Scalar,
}

/// <summary>Which <see cref="CentroidKernel"/>s the CPU at hand runs, and the one the compressed index picks.</summary>
public static class CentroidKernels
{
    /// <summary>Every kernel this CPU runs in hardware (<see cref="CentroidKernel.Scalar"/> always), and the one the process runs: the fastest unless set.</summary>
    public static KernelChoice<CentroidKernel> Choice { get; } = new(kernel => kernel switch
    {
        CentroidKernel.Vector512 => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
        CentroidKernel.Vector256 => System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated,
        _ => kernel == CentroidKernel.Scalar,
    });
}
