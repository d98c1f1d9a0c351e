namespace Visage.Cli.Bench;

/// <summary>The latencies of one stage (per unit: image, face or run) for Visage on all cores, on one thread, and the peer.</summary>
public sealed class StageResult(StageSpec spec, long multiplyAddsPerUnit)
{
    public StageSpec Spec => spec;

    /// <summary>Multiply-adds of the network per unit (0 for stages that are not one network).</summary>
    public long MultiplyAdds => multiplyAddsPerUnit;

    public Samples All { get; } = new();
    public Samples One { get; } = new();
    public Samples Peer { get; } = new();

    /// <summary>Achieved GFLOP/s at the median latency of <paramref name="samples"/> (2 FLOPs per multiply-add).</summary>
    public double? Gflops(Samples samples) => MultiplyAdds > 0 && samples.Count > 0 ? 2.0 * MultiplyAdds / (samples.Median * 1e6) : null;

    /// <summary>Peer median over Visage median: how many times faster Visage is.</summary>
    public static double? Ratio(Samples peer, Samples visage) => peer.Count > 0 && visage.Count > 0 ? peer.Median / visage.Median : null;
}
