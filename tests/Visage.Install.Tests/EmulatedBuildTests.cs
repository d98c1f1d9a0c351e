using System.Diagnostics;
using Xunit.Abstractions;

namespace Visage.Install.Tests;

/// <summary>
/// The builds on CPUs this machine does not have, run by Debian's qemu-user: the linux-arm64 build (qemu-aarch64-static,
/// with scripts/rootfs.sh's arm64 libraries as its sysroot) and the linux-x64 build on an x86-64 without AVX
/// (qemu-x86_64-static -cpu Nehalem: SSE4.2, the least .NET 10 runs on). Each answers, and its descriptors match the
/// native x64 build's: a correctness check, not a speed figure.
/// </summary>
[Collection(PublishedCollection.Name)]
public sealed class EmulatedBuildTests(ITestOutputHelper output) : IDisposable
{
    // The same face through other kernels (NEON, SSE instead of AVX-512): float sums in another order.
    private const float Tolerance = 1e-4f;

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("visage-emulated-home-");

    public void Dispose() => _home.Delete(recursive: true);

    /// <summary>
    /// The environment of every run here. Under qemu-user .NET needs its W^X protection off (JIT'd code written through
    /// one mapping and run through another): with it on, the arm64 build fails in a reflection stub
    /// (NullReferenceException in System.Text.Json) and the x64 one on the Nehalem model with SIGSEGV.
    /// </summary>
    private Dictionary<string, string?> Env() => new() { ["VISAGE_HOME"] = _home.FullName, ["DOTNET_NOLOGO"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" };

    private static string[] Native => [Published.Executable(Published.X64)];

    /// <summary>
    /// qemu-aarch64-static running the arm64 build, with scripts/rootfs.sh's arm64 libraries as its sysroot. ONNX Runtime
    /// reads /proc/cpuinfo when its library loads (pytorch/cpuinfo); QEMU 7.2's user mode passes the host's x86 file
    /// through, in which cpuinfo's ARM parser finds no core and dereferences NULL (SIGSEGV). So the process gets the
    /// /proc/cpuinfo an arm64 machine has (two Cortex-A72 cores, a Raspberry Pi 4's), bind-mounted in a mount
    /// namespace of its own (needs root, as the suite runs).
    /// </summary>
    private string[] Arm64
    {
        get
        {
            var cpuinfo = Path.Combine(_home.FullName, "cpuinfo");
            File.WriteAllText(cpuinfo, string.Concat(Enumerable.Range(0, Environment.ProcessorCount).Select(i =>
                $"processor\t: {i}\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU implementer\t: 0x41\n" +
                "CPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 3\n\n")));
            return ["/usr/bin/unshare", "--mount", "/bin/sh", "-c", $"mount --bind '{cpuinfo}' /proc/cpuinfo && exec /usr/bin/qemu-aarch64-static -L '{ArmSysroot}' \"$0\" \"$@\"",
                Published.Executable(Published.Arm64)];
        }
    }

    private static string ArmSysroot
    {
        get
        {
            ChildProcess.Script("rootfs.sh", "arm64");
            return Path.Combine(TestData.RepoRoot, "artifacts", "rootfs", "arm64");
        }
    }

    [Fact]
    public void TheArm64Build_UnderQemu_Detects_AndEmbeds_LikeTheX64Build()
    {
        var native = Descriptors.Embed(Native, Published.Photo, Env());
        var arm64 = Arm64;

        var clock = Stopwatch.StartNew();
        var detect = Emulator.Run(arm64, ["detect", Published.Photo, "--json", .. Descriptors.FastPipeline], Env(), TimeSpan.FromMinutes(10));
        output.WriteLine($"arm64 detect under qemu-aarch64-static: {clock.Elapsed.TotalSeconds:0.0} s (a correctness check, not a speed figure)");
        Assert.True(detect.ExitCode == 0, detect.ToString());
        var faces = JsonDocument.Parse(detect.Stdout).RootElement.GetProperty("faces");
        Assert.Equal(1, faces.GetArrayLength());
        Assert.Equal(68, faces[0].GetProperty("landmarks").GetArrayLength());

        var emulated = Descriptors.Embed(arm64, Published.Photo, Env());
        var difference = Descriptors.MaxDifference(native, emulated);
        output.WriteLine($"arm64 vs x64 descriptors: max |difference| {difference:E2}");
        Assert.True(difference <= Tolerance, $"max difference {difference}");

        // The default int8 SSD and recognition net on NEON's integer kernels (a Raspberry Pi 4's: no dot product) against VNNI's.
        Descriptors.AssertSameInt8Faces(Descriptors.Int8Faces(Native, Published.Photo, Env()), Descriptors.Int8Faces(arm64, Published.Photo, Env()), output.WriteLine);

        var doctor = Emulator.Run(arm64, ["doctor"], Env(), TimeSpan.FromMinutes(5));
        output.WriteLine(doctor.Stdout);
        Assert.Contains("on linux-arm64", doctor.Stdout);
        Assert.Contains("MLAS kernels fp32 Neon", doctor.Stdout);
    }

    [Fact]
    public void TheArm64Build_WithoutAnEmulator_IsRefusedByTheKernel_InOneLine()
    {
        // With qemu registered in binfmt_misc the kernel would hand it to qemu and it would run; this machine has none.
        Assert.False(File.Exists("/proc/sys/fs/binfmt_misc/qemu-aarch64"), "binfmt_misc runs arm64 binaries here: this check needs a machine without it");
        var result = ChildProcess.Run("/bin/sh", ["-c", $"'{Published.Executable(Published.Arm64)}' --version"]);
        Assert.Equal(126, result.ExitCode); // the shell's "cannot execute"
        Assert.Contains("Exec format error", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void TheX64Build_OnACpuWithoutAvx_PicksSseKernels_AndEmbedsLikeOnThisOne()
    {
        string[] noAvx = ["/usr/bin/qemu-x86_64-static", "-cpu", "Nehalem", Published.Executable(Published.X64)];
        var doctor = Emulator.Run(noAvx, ["doctor"], Env(), TimeSpan.FromMinutes(5));
        Assert.True(doctor.ExitCode == 0, doctor.ToString());
        output.WriteLine(doctor.Stdout);
        Assert.Matches(@"instructions\s+SSE4\.2\s*\n", doctor.Stdout);
        Assert.Contains("gallery scan   Scalar", doctor.Stdout);
        Assert.Contains("MLAS kernels fp32 Sse", doctor.Stdout);

        var native = Descriptors.Embed(Native, Published.Photo, Env());
        var emulated = Descriptors.Embed(noAvx, Published.Photo, Env());
        var difference = Descriptors.MaxDifference(native, emulated);
        output.WriteLine($"SSE-only vs this CPU's descriptors: max |difference| {difference:E2}");
        Assert.True(difference <= Tolerance, $"max difference {difference}");

        // The int8 recognition net where MLAS's u8 x s8 kernel would saturate: run with exact sums, it describes what
        // VNNI does. With the Tiny detector: qemu-x86_64 7.2 on a 6.18 host kernel kills the emulated process (SIGSEGV
        // on an fxsave in the runtime's context capture) as soon as the runtime captures a thread's context, for an
        // exception or a GC suspension, which an SSD run reaches (with builds from before the int8 recognition net too).
        Assert.Contains("int8 Sse with exact sums", doctor.Stdout);
        Descriptors.AssertSameInt8Faces(Descriptors.Int8Faces(Native, Published.Photo, Env(), Descriptors.FastPipeline),
            Descriptors.Int8Faces(noAvx, Published.Photo, Env(), Descriptors.FastPipeline), output.WriteLine);
    }
}
