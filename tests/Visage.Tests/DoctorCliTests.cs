namespace Visage.Cli.Tests;

/// <summary>
/// <c>visage doctor</c> names the CPU and the kernels chosen on it, and the gallery scan's dispatcher never picks a
/// kernel whose instruction set .NET was told not to use: a Zen 4 (no AVX-VNNI), a CPU without AVX-512 and one without
/// AVX2 are each stood in for on the machine at hand by switching the instruction set off for the child process.
/// </summary>
public sealed class DoctorCliTests
{
    public static TheoryData<string, string> Restrictions => new()
    {
        { "", "" },
        { "DOTNET_EnableAVXVNNI", "AvxVnni" },
        { "DOTNET_EnableAVX512", "Avx512Vnni" },
        { "DOTNET_EnableAVX2", "Avx2" },
    };

    [Theory]
    [MemberData(nameof(Restrictions))]
    public void The_chosen_scan_kernel_is_the_fastest_that_runs_and_never_one_switched_off(string variable, string kernel)
    {
        var env = variable.Length == 0 ? null : new Dictionary<string, string> { [variable] = "0" };
        var run = VisageProcess.Run(["doctor", "--json"], env);
        Assert.True(run.ExitCode == 0, run.ToString());
        var facts = run.Json;
        Assert.False(string.IsNullOrWhiteSpace(facts.GetProperty("cpu").GetString()));
        var supported = facts.GetProperty("supportedScanKernels").EnumerateArray().Select(k => k.GetString()).ToList();
        Assert.Equal(supported[0], facts.GetProperty("scanKernel").GetString());
        Assert.Equal("Scalar", supported[^1]);
        if (kernel.Length > 0) Assert.DoesNotContain(kernel, supported);
        Assert.Contains("CPUExecutionProvider", facts.GetProperty("onnxProviders").EnumerateArray().Select(p => p.GetString()));
        Assert.False(string.IsNullOrWhiteSpace(facts.GetProperty("mlasInt8").GetString()));
        // Exact int8 sums exactly where the u8 x s8 kernel clips them (x86 without VNNI).
        Assert.Equal(facts.GetProperty("mlasInt8").GetString() is "Avx512Core" or "Avx2" or "Sse", facts.GetProperty("exactInt8Sums").GetBoolean());

        var text = VisageProcess.Run(["doctor"], env);
        Assert.Contains($"gallery scan   {supported[0]}", text.Stdout);
    }
}
