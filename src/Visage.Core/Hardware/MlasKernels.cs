using System.Runtime.Intrinsics.X86;

namespace Visage.Hardware;

/// <summary>
/// Which kernels ONNX Runtime's CPU provider (its MLAS library) runs on this CPU. MLAS does not report its choice, so it
/// is worked out here from the same CPUID bits and in the same order as MLAS's <c>platform.cpp</c> (ONNX Runtime 1.2x-1.3x):
/// fp32 GEMM and convolution take AVX-512F, else FMA3, else AVX; the u8 x s8 GEMM of int8 networks takes AVX-512 VNNI,
/// else AVX-512 core (BW/DQ/VL), else AVX-VNNI, else AVX2. On arm64 both take NEON (int8 with the dot-product extension).
/// </summary>
public static class MlasKernels
{
    /// <summary>The fp32 convolution and GEMM kernel family, e.g. <c>Avx512F</c>.</summary>
    public static string Float32 { get; } =
        Avx512F.IsSupported ? "Avx512F" : Fma.IsSupported && Avx2.IsSupported ? "Fma3" : Avx.IsSupported ? "Avx"
        : System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? "Neon" : "Sse";

    /// <summary>The int8 (u8 x s8) GEMM kernel family, e.g. <c>Avx512Vnni</c>.</summary>
    public static string Int8 { get; } =
        Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported
            ? CpuInfo.HasAvx512Vnni ? "Avx512Vnni" : "Avx512Core"
        : AvxVnni.IsSupported ? "AvxVnni"
        : Avx2.IsSupported ? "Avx2"
        : System.Runtime.Intrinsics.Arm.Dp.IsSupported ? "NeonDot"
        : System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? "Neon" : "Sse";

    /// <summary>
    /// True where that u8 x s8 kernel adds each pair of products in saturating 16-bit arithmetic (x86 without VNNI:
    /// <c>vpmaddubsw</c> clamps 2 x 255 x 127 to 32,767), so an int8 network's sums can be cut short. VNNI and arm64's
    /// kernels sum in 32 bits.
    /// </summary>
    public static bool Int8SumsSaturate => Int8 is "Avx512Core" or "Avx2" or "Sse";
}
