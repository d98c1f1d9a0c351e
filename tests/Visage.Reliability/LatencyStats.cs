namespace Visage.Reliability;

/// <summary>Percentiles of a set of latencies (nearest rank), in milliseconds.</summary>
public sealed record LatencyStats(int Count, double P50, double P95, double P99, double Max)
{
    public static LatencyStats Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0) return new LatencyStats(0, 0, 0, 0, 0);
        double At(double q) => Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
        return new LatencyStats(sorted.Length, At(0.50), At(0.95), At(0.99), Math.Round(sorted[^1], 1));
    }
}
