namespace Visage.Models;

/// <summary>How ONNX Runtime runs the networks.</summary>
public sealed record InferenceOptions
{
    /// <summary>Threads each network may use for one run; 0 means one per core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Let idle inference threads spin for the next piece of work instead of sleeping (ONNX Runtime's own default is on;
    /// Visage's is off). Measured on a 2-core VM (docs/BENCHMARKS.md): on an idle machine spinning makes the pipeline
    /// 3-10% faster, but as soon as anything else runs (decoding in parallel, a web server, another process) spinning
    /// threads burn the time slices the working ones need and the pipeline gets 30-45% slower. Turn it on for a
    /// machine that does nothing else.
    /// </summary>
    public bool Spinning { get; init; }

    /// <summary>
    /// Run every all-core session on one process-wide pool of threads (default on), so that consecutive nets of the
    /// pipeline do not compete with each other's idle workers. Sessions with fewer threads always keep their own.
    /// </summary>
    public bool SharedThreads { get; init; } = true;

    /// <summary>
    /// Keep ONNX Runtime's optimized form of each graph in the model cache and load it with optimization off (default
    /// on): a session of the SSD is then made in a fraction of the time (docs/BENCHMARKS.md, "Cold start").
    /// </summary>
    public bool CacheOptimizedGraphs { get; init; } = true;

    /// <summary>
    /// Run int8 networks with exact 32-bit sums (ONNX Runtime's <c>session.x64quantprecision</c>: int8 weights turned to
    /// uint8 for its u8 x u8 kernel). Default: on where the CPU's u8 x s8 kernel saturates
    /// (<see cref="Hardware.MlasKernels.Int8SumsSaturate"/>), so int8 networks give there what they give on the CPUs
    /// their accuracy was measured on; off elsewhere, where it would only be slower.
    /// </summary>
    public bool ExactInt8Sums { get; init; } = Hardware.MlasKernels.Int8SumsSaturate;

    /// <summary>The thread count actually used.</summary>
    public int EffectiveThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;
}
