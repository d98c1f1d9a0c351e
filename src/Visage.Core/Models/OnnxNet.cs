using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace Visage.Models;

/// <summary>
/// One ONNX Runtime session for one network, created once per process and shared: <see cref="Run"/> may be
/// called from many threads at once. Inputs are passed as float NCHW spans and wrapped without copying;
/// outputs are copied into caller-owned arrays.
/// </summary>
public sealed class OnnxNet : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    /// <summary>Loads a serialized ONNX model.</summary>
    /// <param name="name">Network name.</param>
    /// <param name="model">The serialized graph.</param>
    /// <param name="options">Threads and spinning.</param>
    /// <param name="preOptimized">The graph is ONNX Runtime's own optimized form: load it without optimizing again.</param>
    /// <param name="saveOptimizedTo">Where ONNX Runtime writes the optimized graph, or null.</param>
    public OnnxNet(string name, byte[] model, InferenceOptions options, bool preOptimized = false, string? saveOptimizedTo = null)
    {
        Name = name;
        var shared = options.SharedThreads && options.EffectiveThreads == SharedThreadPool.Threads && SharedThreadPool.EnsureCreated(options.Spinning);
        using var so = new SessionOptions
        {
            GraphOptimizationLevel = preOptimized ? GraphOptimizationLevel.ORT_DISABLE_ALL : GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.EffectiveThreads,
            InterOpNumThreads = 1,
        };
        if (saveOptimizedTo is not null)
        {
            so.OptimizedModelFilePath = saveOptimizedTo;
            // ONNX Runtime warns on stderr that the file holds this CPU's kernels: the cache's file name says so already.
            so.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
        }
        if (shared)
        {
            so.DisablePerSessionThreads();
            so.AddSessionConfigEntry("session.use_env_allocators", "1"); // the environment's one arena (SharedThreadPool)
        }
        else so.AddSessionConfigEntry("session.intra_op.allow_spinning", options.Spinning ? "1" : "0");
        if (options.ExactInt8Sums) so.AddSessionConfigEntry("session.x64quantprecision", "1");
        UsesSharedThreads = shared;
        FromOptimizedGraph = preOptimized;
        _session = new InferenceSession(model, so);
        _inputNames = [.. _session.InputNames];
        _outputNames = [.. _session.OutputNames];
    }

    /// <summary>True when the session runs on the process-wide pool of inference threads rather than its own.</summary>
    public bool UsesSharedThreads { get; }

    /// <summary>True when the session was loaded from ONNX Runtime's cached optimized graph, not optimized here.</summary>
    public bool FromOptimizedGraph { get; }

    /// <summary>Network name (face-api.js's).</summary>
    public string Name { get; }

    /// <summary>Output names in graph order.</summary>
    public IReadOnlyList<string> OutputNames => _outputNames;

    /// <summary>
    /// Runs the net on one input tensor and returns every output, flattened, in graph order.
    /// </summary>
    /// <param name="input">NCHW float values; only the first <c>prod(shape)</c> are read.</param>
    /// <param name="shape">Input shape, e.g. <c>[N, 3, H, W]</c>.</param>
    public float[][] Run(Memory<float> input, long[] shape)
    {
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input[..count], shape);
        using var outputs = _session.Run(_runOptions, _inputNames, [value], _outputNames);
        var result = new float[outputs.Count][];
        for (var i = 0; i < outputs.Count; i++) result[i] = outputs[i].GetTensorDataAsSpan<float>().ToArray();
        return result;
    }

    /// <summary>Rents a buffer of at least <paramref name="length"/> floats for an input (return it with <see cref="ReturnBuffer"/>).</summary>
    public static float[] RentBuffer(int length) => InputBuffers.Rent(length);

    /// <summary>Returns a buffer rented with <see cref="RentBuffer"/>.</summary>
    public static void ReturnBuffer(float[] buffer) => InputBuffers.Return(buffer);

    /// <summary>
    /// The input tensors' pool: a few buffers of each size for the whole process. The shared pool keeps one buffer
    /// of each size per thread that ever rented it (an SSD input is 3 MB, rounded up to 4), and a service runs its
    /// inference on whichever thread-pool thread is free: tens of threads kept 130-260 MB of them alive on the large
    /// object heap through the HTTP fuzz run.
    /// </summary>
    private static readonly ArrayPool<float> InputBuffers = ArrayPool<float>.Create(maxArrayLength: 1 << 24, maxArraysPerBucket: 4);

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
