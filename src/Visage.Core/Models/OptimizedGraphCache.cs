using Microsoft.ML.OnnxRuntime;
using Visage.Hardware;

namespace Visage.Models;

/// <summary>
/// ONNX Runtime's own optimized form of each graph (fused layers, the NCHWc layout of its CPU kernels), written once
/// and loaded with optimization off. Building a session optimizes the graph every time: 130-280 ms for the SSD alone
/// at the start of every CLI call (measured at load 17-24, Zen 5, docs/BENCHMARKS.md "Cold start"). The optimized graph
/// may hold kernels of this CPU and of this ONNX Runtime build only, so both are part of its file name, beside the hash
/// of the graph it came from.
/// </summary>
internal static class OptimizedGraphCache
{
    /// <summary>The ONNX Runtime build the optimized graphs come from (its managed assembly's version).</summary>
    private static readonly string RuntimeVersion =
        typeof(InferenceSession).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>Where the optimized form of the graph whose SHA-256 is <paramref name="sourceHash"/> lives.</summary>
    /// <param name="directory">The model cache's ONNX folder.</param>
    /// <param name="name">The model's id.</param>
    /// <param name="sourceHash">The SHA-256 of the graph before optimization.</param>
    /// <param name="exactInt8Sums">The session turns int8 weights to uint8 (<see cref="InferenceOptions.ExactInt8Sums"/>).</param>
    public static string PathFor(string directory, string name, string sourceHash, bool exactInt8Sums) =>
        Path.Combine(directory, "optimized",
            $"{name}.{sourceHash[..16]}.ort{RuntimeVersion}.{MlasKernels.Float32}-{MlasKernels.Int8}{(exactInt8Sums ? "-exact" : "")}.onnx");

    /// <summary>The optimized graph's bytes when a complete, unaltered copy is cached; otherwise null.</summary>
    public static byte[]? TryRead(string path) => ModelFiles.TryReadVerified(path);

    /// <summary>Keeps the file ONNX Runtime wrote to <paramref name="written"/> as the cached copy at <paramref name="path"/>.</summary>
    public static void Keep(string written, string path)
    {
        try
        {
            ModelFiles.CommitWithHash(written, path);
        }
        catch (IOException)
        {
            // Another process kept its copy first (same graph, same bytes): ours is not needed.
            File.Delete(written);
        }
    }
}
