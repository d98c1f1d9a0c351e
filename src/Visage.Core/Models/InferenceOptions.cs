namespace Visage.Models;

/// <summary>How ONNX Runtime runs the networks.</summary>
public sealed record InferenceOptions
{
    /// <summary>Threads each network may use for one run; 0 means one per core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Let idle worker threads spin briefly for the next piece of work (ONNX Runtime's default, on). Off saves CPU
    /// between runs for other work on the machine at a small cost per run.
    /// </summary>
    public bool Spinning { get; init; } = true;

    /// <summary>
    /// Run every all-core session on one process-wide pool of threads (default on), so that consecutive nets of the
    /// pipeline do not compete with each other's idle workers. Sessions with fewer threads always keep their own.
    /// </summary>
    public bool SharedThreads { get; init; } = true;

    /// <summary>The thread count actually used.</summary>
    public int EffectiveThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;
}
