using Visage.Hardware;

namespace Visage.Tests.Gallery;

/// <summary>
/// What every SIMD kernel's tests share: run a test with one variant forced where the CPU has it, and check elsewhere
/// that the dispatcher never picks it and refuses it; the fastest supported variant is the default; what .NET detects
/// agrees with the flags the Linux kernel reports.
/// </summary>
internal static class KernelTesting
{
    /// <summary>Kernel choices are process-wide: tests that force one run one at a time.</summary>
    public static readonly Lock Lock = new();

    /// <summary>Runs <paramref name="test"/> with <paramref name="kernel"/> where the CPU has it; elsewhere checks it is never chosen and refused.</summary>
    public static void With<TKernel>(KernelChoice<TKernel> choice, TKernel kernel, Action test) where TKernel : struct, Enum
    {
        if (!choice.IsSupported(kernel))
        {
            Assert.NotEqual(kernel, choice.Best);
            Assert.DoesNotContain(kernel, choice.Supported);
            Assert.Throws<PlatformNotSupportedException>(() => choice.Current = kernel);
            Assert.NotEqual(kernel, choice.Current);
            return;
        }
        lock (Lock)
        {
            var before = choice.Current;
            choice.Current = kernel;
            try { test(); }
            finally { choice.Current = before; }
        }
    }

    /// <summary>The default is the first supported variant in the enum's (fastest-first) order, and the last variant runs everywhere.</summary>
    public static void BestIsFirstSupported<TKernel>(KernelChoice<TKernel> choice) where TKernel : struct, Enum
    {
        var all = Enum.GetValues<TKernel>();
        Assert.Contains(all[^1], choice.Supported);
        Assert.Equal(all.First(choice.IsSupported), choice.Best);
        Assert.Equal(choice.Supported[0], choice.Best);
        lock (Lock) Assert.Equal(choice.Best, choice.Current);
    }

    /// <summary>A variant is never offered without its CPU flag, and (unless .NET was told to leave an instruction set alone) always with it.</summary>
    public static void AgreesWithCpuFlags<TKernel>(KernelChoice<TKernel> choice, params (TKernel Kernel, string Flag)[] flags) where TKernel : struct, Enum
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            foreach (var (kernel, _) in flags) Assert.False(choice.IsSupported(kernel));
            return;
        }
        var reported = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        // .NET can be told to leave an instruction set alone (DOTNET_EnableAVX512F=0 and the like): then a kernel the CPU
        // has is not offered, but a kernel is never offered without its CPU flag.
        var restricted = Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("DOTNET_Enable", StringComparison.OrdinalIgnoreCase));
        foreach (var (kernel, flag) in flags)
        {
            if (choice.IsSupported(kernel)) Assert.Contains(flag, reported);
            else if (!restricted) Assert.DoesNotContain(flag, reported);
        }
    }
}
