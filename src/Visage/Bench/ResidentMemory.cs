using System.Runtime.InteropServices;

namespace Visage.Cli.Bench;

/// <summary>
/// The process's resident memory as Linux counts it (<c>/proc/self/status</c>): all of it, and its parts: anonymous
/// (the heap, arrays), file-backed (pages of mapped files: the runtime's own libraries and the networks' weights)
/// and shared memory (files on tmpfs). Zero where there is no such file.
/// </summary>
public readonly record struct ResidentMemory(long Total, long Anonymous, long File, long Shared)
{
    /// <summary>Reads it now, after a full garbage collection that returns free memory to the OS (so freed arrays are not counted).</summary>
    public static ResidentMemory Read()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        if (!System.IO.File.Exists("/proc/self/status")) return default;
        long Field(string[] lines, string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line
                ? long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0]) * 1024 : 0;
        var status = System.IO.File.ReadAllLines("/proc/self/status");
        return new ResidentMemory(Field(status, "VmRSS"), Field(status, "RssAnon"), Field(status, "RssFile"), Field(status, "RssShmem"));
    }

    /// <summary>The growth from <paramref name="b"/> to <paramref name="a"/>, part by part.</summary>
    public static ResidentMemory operator -(ResidentMemory a, ResidentMemory b) => new(a.Total - b.Total, a.Anonymous - b.Anonymous, a.File - b.File, a.Shared - b.Shared);
}

/// <summary>The calling thread's CPU time: what a query cost itself, whatever else the machine's cores were doing.</summary>
public static partial class ThreadCpu
{
    private const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    /// <summary>Milliseconds of CPU the calling thread has used (NaN where the clock is not available).</summary>
    public static double Milliseconds()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        return ClockGetTime(ClockThreadCpuTime, out var t) == 0 ? t.Seconds * 1e3 + t.Nanoseconds / 1e6 : double.NaN;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
