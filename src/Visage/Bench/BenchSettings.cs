namespace Visage.Cli.Bench;

/// <summary>What a <c>visage bench</c> run measures and how long.</summary>
public sealed record BenchSettings
{
    public string? Images { get; init; }
    public bool Peer { get; init; }
    public string? PeerDir { get; init; }
    /// <summary>Timed runs per stage (images are taken in turn).</summary>
    public int Iterations { get; init; } = 12;
    /// <summary>Untimed runs per stage first.</summary>
    public int Warmup { get; init; } = 2;
    /// <summary>
    /// Untimed requests each HTTP stage's fresh server answers first: a new service spends about its first hundred
    /// requests beside .NET's tiered compilation, which takes one of the two cores from the networks meanwhile
    /// (docs/BENCHMARKS.md, "A fresh service and .NET's tiered compilation").
    /// </summary>
    public int HttpWarmup { get; init; } = 150;
    /// <summary>
    /// Untimed decodes and default analyses of the photos before the first stage, for the same reason: otherwise the
    /// first photo stage of a run (usually <c>analyze</c>) is timed beside the compiler, 10-20% slower than the same
    /// stage later in the run.
    /// </summary>
    public int ProcessWarmup { get; init; } = 120;
    /// <summary>Also run every stage with one inference thread (the per-core figures).</summary>
    public bool OneThread { get; init; } = true;
    public int[] GallerySizes { get; init; } = [10_000, 100_000, 1_000_000];
    public int Queries { get; init; } = 64;
    /// <summary>Sizes of compressed galleries to build and search (none by default: 10M faces take minutes and 5 GB of disk).</summary>
    public int[] CompressedSizes { get; init; } = [];
    /// <summary>Where the compressed galleries' files go (a fresh subfolder per size, deleted afterwards); default: the temp folder.</summary>
    public string? IndexDirectory { get; init; }
    /// <summary>Shares of the inverted lists a compressed search probes, each measured (recall and latency).</summary>
    public double[] ProbeShares { get; init; } = [1.0 / 16, 1.0 / 8];
    public string? EnrollDir { get; init; }
    public int EnrollLimit { get; init; } = 200;
    /// <summary>Only enroll photos of this size (e.g. 250x250, LFW's), or any size when null.</summary>
    public (int Width, int Height)? EnrollSize { get; init; }
    /// <summary>Tries of each machine limit (the best is kept: a busy machine only ever lowers it) and the streamed buffer size.</summary>
    public int LimitRepeats { get; init; } = 7;
    public long StreamBytes { get; init; } = 1L << 30;
    public string[]? Stages { get; init; }
    /// <summary>Session settings of the all-core networks (to measure the thread options against each other).</summary>
    public Visage.Models.InferenceOptions Inference { get; init; } = new();

    /// <summary>A few iterations of everything on small sizes: the test suite's check that the bench still runs.</summary>
    public BenchSettings Smoke() => this with
    {
        Iterations = 2,
        Warmup = 1,
        HttpWarmup = 0,
        ProcessWarmup = 0,
        GallerySizes = [10_000],
        CompressedSizes = CompressedSizes.Length == 0 ? [] : [20_000],
        Queries = 8,
        EnrollLimit = 6,
        LimitRepeats = 1,
        StreamBytes = 64L << 20,
    };
}
