using System.Globalization;
using System.Text;
using static Visage.Serve.PrometheusText;

namespace Visage.Serve;

/// <summary>A Prometheus histogram of durations in seconds, safe to observe from any thread.</summary>
public sealed class LatencyHistogram
{
    // Latency buckets in seconds: from a cached static file to a large group photo on a slow machine.
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly long[] _counts = new long[Buckets.Length + 1]; // the last one is +Inf
    private long _sumMicroseconds;

    /// <summary>Counts one duration.</summary>
    public void Observe(double seconds)
    {
        var i = 0;
        while (i < Buckets.Length && seconds > Buckets[i]) i++;
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicroseconds, (long)(seconds * 1e6));
    }

    /// <summary>Writes the buckets, sum and count under <paramref name="name"/> with <paramref name="labels"/>.</summary>
    public void Write(StringBuilder text, string name, string labels)
    {
        long cumulative = 0;
        for (var i = 0; i <= Buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            var le = i < Buckets.Length ? Buckets[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
            Line(text, name + "_bucket", $"{labels},le=\"{le}\"", cumulative);
        }
        Line(text, name + "_sum", labels, Interlocked.Read(ref _sumMicroseconds) / 1e6);
        Line(text, name + "_count", labels, cumulative);
    }
}
