using System.Globalization;

namespace Visage.VideoBench;

/// <summary>
/// CPU time of this process and of its children that have ended (ffmpeg, once reaped), from <c>/proc/self/stat</c>:
/// what a run used, in cores (CPU seconds per wall second).
/// </summary>
public readonly record struct CpuMeter(double Seconds)
{
    // Linux reports these fields in clock ticks of USER_HZ, 100 on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>CPU seconds used so far by this process and its reaped children.</summary>
    public static CpuMeter Now()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime, stime, cutime, cstime are fields 14-17 of the line, 12-15 after "pid (comm) ".
        var ticks = Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
        return new CpuMeter(ticks / TicksPerSecond);
    }

    /// <summary>Cores used since <paramref name="start"/> over <paramref name="wallSeconds"/>.</summary>
    public double CoresSince(CpuMeter start, double wallSeconds) => (Seconds - start.Seconds) / wallSeconds;
}
