namespace Visage.Models;

/// <summary>How ONNX Runtime runs the networks.</summary>
public sealed record InferenceOptions
{
    /// <summary>Threads each network may use for one run; 0 means one per core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>The thread count actually used.</summary>
    public int EffectiveThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;
}
