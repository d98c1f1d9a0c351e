using Microsoft.ML.OnnxRuntime;

namespace Visage.Models;

/// <summary>
/// One pool of inference threads for every session of the process that runs on all cores. With a pool per session, a
/// net's workers are still spinning for more work when the next net of the pipeline starts its own, so on a 2-core
/// machine three threads fight for two cores at every hand-over (measured: docs/BENCHMARKS.md). ONNX Runtime's
/// environment is process-wide and made once: when something created it before Visage, sessions keep their own pools.
/// </summary>
internal static class SharedThreadPool
{
    private static readonly Lazy<bool> Available = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Threads in the shared pool (one per core).</summary>
    public static int Threads => Environment.ProcessorCount;

    /// <summary>
    /// Creates ONNX Runtime's environment with the shared pool if nobody has made it yet (the first caller's
    /// <paramref name="spinning"/> holds for the process); true when the pool exists.
    /// </summary>
    public static bool EnsureCreated(bool spinning)
    {
        _spinning = spinning;
        return Available.Value;
    }

    private static bool _spinning;

    private static bool Create()
    {
        if (OrtEnv.IsCreated) return false;
        using var threads = new OrtThreadingOptions
        {
            GlobalIntraOpNumThreads = Threads,
            GlobalInterOpNumThreads = 1,
            GlobalSpinControl = _spinning,
        };
        var options = new EnvironmentCreationOptions { threadOptions = threads };
        OrtEnv.CreateInstanceWithOptions(ref options);
        // One CPU arena for every session that uses the shared pool (OnnxNet opts in), grown by what each run asks
        // (extend strategy 1, kSameAsRequested) rather than by doubling: the high-water mark of the largest run, not
        // the sum of every session's own doubled arena. Measured: the HTTP fuzz run's peak 1,439 -> 960 MB at 4,000
        // cases, the networks' speed unchanged (docs/RELIABILITY.md, "Memory").
        using var memory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCPU, OrtAllocatorType.ArenaAllocator, 0, OrtMemType.Default);
        using var arena = new OrtArenaCfg(0, 1, -1, -1);
        OrtEnv.Instance().CreateAndRegisterAllocator(memory, arena);
        return true;
    }
}
