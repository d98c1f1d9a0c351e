namespace Visage.Cli.Bench;

/// <summary>What the report says about the machine it ran on.</summary>
public static class MachineInfo
{
    /// <summary>The 1, 5 and 15 minute load averages (Linux), or null elsewhere.</summary>
    public static double[]? LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(double.Parse).ToArray(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
