using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Visage.Hardware;

/// <summary>What the CPU at hand is and which of its instruction sets .NET may use: the facts a timing needs beside it.</summary>
public static class CpuInfo
{
    /// <summary>
    /// The CPU model from <c>/proc/cpuinfo</c> (Linux) with its family and, for AMD, the core generation, e.g.
    /// <c>AMD EPYC (family 26 model 2, Zen 5)</c>; else the process architecture. Cloud VMs often name only "AMD EPYC",
    /// and Zen 4 and Zen 5 differ twofold in fp32 work per cycle, so the family is what makes a timing comparable.
    /// </summary>
    public static string Model { get; } = ReadModel();

    /// <summary>
    /// AVX-512 VNNI (512-bit <c>VPDPBUSD</c>): CPUID leaf 7 ECX bit 11, usable only where the OS saves the 512-bit
    /// registers (which <see cref="Avx512F.IsSupported"/> tells). .NET 10 has no intrinsic for it, so it is read here.
    /// </summary>
    public static bool HasAvx512Vnni { get; } =
        Avx512F.IsSupported && Avx512BW.IsSupported && (X86Base.CpuId(7, 0).Ecx & (1 << 11)) != 0;

    /// <summary>The SIMD instruction sets .NET uses on this CPU, widest last (x64 or arm64 names).</summary>
    public static IReadOnlyList<string> InstructionSets { get; } = ReadInstructionSets();

    private static List<string> ReadInstructionSets()
    {
        var sets = new List<string>();
        void Add(bool supported, string name) { if (supported) sets.Add(name); }
        Add(Sse42.IsSupported, "SSE4.2");
        Add(Avx2.IsSupported, "AVX2");
        Add(Fma.IsSupported, "FMA");
        Add(AvxVnni.IsSupported, "AVX-VNNI");
        Add(Avx512F.IsSupported, "AVX-512F");
        Add(Avx512BW.IsSupported, "AVX-512BW");
        Add(HasAvx512Vnni, "AVX-512-VNNI");
        Add(System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported, "AdvSIMD");
        Add(System.Runtime.Intrinsics.Arm.Dp.IsSupported, "DotProd");
        return sets;
    }

    private static string ReadModel()
    {
        var fields = new Dictionary<string, string>();
        try
        {
            // The first processor's block: "key<TAB>: value" lines up to the first blank line.
            foreach (var line in File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0))
            {
                var colon = line.IndexOf(':');
                if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        var arch = RuntimeInformation.ProcessArchitecture.ToString();
        // arm64 kernels give no model name, only "CPU part" codes.
        if (!fields.TryGetValue("model name", out var name)) return fields.TryGetValue("CPU part", out var part) ? $"{arch} (CPU part {part})" : arch;
        if (!fields.TryGetValue("cpu family", out var family) || !int.TryParse(family, out var f)) return name;
        var generation = fields.GetValueOrDefault("vendor_id") == "AuthenticAMD" ? AmdGeneration(f) : null;
        return $"{name} (family {f} model {fields.GetValueOrDefault("model", "?")}{(generation is null ? "" : ", " + generation)})";
    }

    // Family 25 (0x19) is Zen 3 and Zen 4, told apart by AVX-512, which only Zen 4 has; 26 (0x1A) is Zen 5.
    private static string? AmdGeneration(int family) => family switch
    {
        23 => "Zen 1-2",
        25 => Avx512F.IsSupported ? "Zen 4" : "Zen 3",
        26 => "Zen 5",
        _ => null,
    };
}
