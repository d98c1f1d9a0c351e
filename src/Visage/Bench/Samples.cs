using System.Diagnostics;

namespace Visage.Cli.Bench;

/// <summary>Latencies of repeated runs of one stage, in milliseconds, and their order statistics.</summary>
public sealed class Samples
{
    private readonly List<double> _ms = [];

    /// <summary>The recorded latencies in run order.</summary>
    public IReadOnlyList<double> Values => _ms;

    public int Count => _ms.Count;

    public void Add(double milliseconds) => _ms.Add(milliseconds);

    public double Median => Percentile(0.5);

    public double P95 => Percentile(0.95);

    public double Min => _ms.Count == 0 ? double.NaN : _ms.Min();

    /// <summary>Nearest-rank percentile (<paramref name="p"/> in 0..1); NaN when empty.</summary>
    public double Percentile(double p)
    {
        if (_ms.Count == 0) return double.NaN;
        var sorted = _ms.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Times one call in milliseconds.</summary>
    public static double Time(Action run)
    {
        var start = Stopwatch.GetTimestamp();
        run();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
