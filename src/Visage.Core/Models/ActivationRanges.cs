using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Visage.Models;

/// <summary>The smallest and largest value one tensor of a network took over the calibration inputs.</summary>
/// <param name="Min">Smallest value seen.</param>
/// <param name="Max">Largest value seen.</param>
public readonly record struct ValueRange(float Min, float Max);

/// <summary>
/// Calibration of an int8 network: the fp32 graph is run on real inputs with every tensor that the int8 graph will
/// quantize exposed as an output (<see cref="QdqQuantizer.TensorsToQuantize"/>), and each tensor's range is kept. The
/// ranges are a small JSON file per network (tensor name to <c>[min, max]</c>), made once from the shared photos by
/// <c>visage models calibrate</c> and shipped in the library (<c>Models/Calibration/</c>).
/// </summary>
public static class ActivationRanges
{
    /// <summary>The ranges of <paramref name="tensors"/> of <paramref name="model"/> over every input of <paramref name="inputs"/>.</summary>
    /// <param name="model">The fp32 graph.</param>
    /// <param name="tensors">Names of the tensors to measure.</param>
    /// <param name="inputs">NCHW inputs with their shapes (one run each).</param>
    public static IReadOnlyDictionary<string, ValueRange> Measure(ModelProto model, IReadOnlyList<string> tensors, IEnumerable<(float[] Data, long[] Shape)> inputs)
    {
        var exposed = model.Clone();
        GraphOutputs.Expose(exposed.Graph, tensors);
        SharedThreadPool.EnsureCreated(new InferenceOptions().Spinning);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC };
        using var session = new InferenceSession(exposed.ToByteArray(), options);
        using var run = new RunOptions();
        var ranges = tensors.ToDictionary(t => t, _ => new ValueRange(float.PositiveInfinity, float.NegativeInfinity));
        var names = tensors.ToArray();
        foreach (var (data, shape) in inputs)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
            using var outputs = session.Run(run, [session.InputNames[0]], [input], names);
            for (var i = 0; i < names.Length; i++)
            {
                var values = outputs[i].GetTensorDataAsSpan<float>();
                var (min, max) = (System.Numerics.Tensors.TensorPrimitives.Min(values), System.Numerics.Tensors.TensorPrimitives.Max(values));
                var old = ranges[names[i]];
                ranges[names[i]] = new ValueRange(Math.Min(old.Min, min), Math.Max(old.Max, max));
            }
        }
        return ranges;
    }

    /// <summary>The ranges as JSON: <c>{ "tensor": [min, max], ... }</c>, in name order.</summary>
    public static string ToJson(IReadOnlyDictionary<string, ValueRange> ranges) =>
        "{\n" + string.Join(",\n", ranges.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => $"  {JsonSerializer.Serialize(r.Key)}: [{JsonSerializer.Serialize(r.Value.Min)}, {JsonSerializer.Serialize(r.Value.Max)}]")) + "\n}\n";

    /// <summary>Reads ranges written by <see cref="ToJson"/>.</summary>
    public static IReadOnlyDictionary<string, ValueRange> FromJson(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, float[]>>(json)!.ToDictionary(r => r.Key, r => new ValueRange(r.Value[0], r.Value[1]));

    /// <summary>The ranges shipped in the library for the network <paramref name="netName"/> (<c>Models/Calibration/NET.json</c>).</summary>
    /// <exception cref="ArgumentException">No ranges are shipped for that network.</exception>
    public static IReadOnlyDictionary<string, ValueRange> Shipped(string netName)
    {
        using var stream = typeof(ActivationRanges).Assembly.GetManifestResourceStream($"Visage.Calibration.{netName}.json")
            ?? throw new ArgumentException($"no int8 calibration is shipped for {netName}", nameof(netName));
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }
}

/// <summary>Exposing inner tensors of a graph as extra outputs (for counting shapes, or measuring ranges).</summary>
internal static class GraphOutputs
{
    /// <summary>Adds each named tensor not already an output as a float output of unknown shape.</summary>
    public static void Expose(GraphProto graph, IEnumerable<string> tensors)
    {
        var exposed = graph.Output.Select(o => o.Name).ToHashSet();
        foreach (var name in tensors)
            if (exposed.Add(name))
                graph.Output.Add(new ValueInfoProto
                {
                    Name = name,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
                });
    }
}
