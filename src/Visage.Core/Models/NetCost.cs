using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Visage.Models;

/// <summary>One convolution or matrix product of a graph and its multiply-adds at a given input size.</summary>
/// <param name="Node">Node name.</param>
/// <param name="Op"><c>Conv</c> or <c>MatMul</c>.</param>
/// <param name="OutputShape">Output shape (NCHW for convolutions) for the input the cost was counted at.</param>
/// <param name="MultiplyAdds">Output elements times the reduction length (kernel height x width x input channels per group).</param>
public sealed record LayerCost(string Node, string Op, long[] OutputShape, long MultiplyAdds);

/// <summary>
/// The arithmetic of a network, counted from its ONNX graph: every <c>Conv</c> and <c>MatMul</c> with its
/// multiply-adds (FLOPs = 2 x MACs; biases, activations, pooling and adds are left out, under 1% here, as
/// FACEAPI-FACTS section 8 counts them). Output shapes come from ONNX Runtime itself: the graph is run once on zeros
/// with every counted node's output exposed, so no shape inference is restated here.
/// </summary>
public static class NetCost
{
    /// <summary>Counts the layers of a serialized model for one input of <paramref name="inputShape"/> (NCHW, batch 1).</summary>
    /// <exception cref="ArgumentException">The model has no float input, or a counted node's weight is not a constant.</exception>
    public static IReadOnlyList<LayerCost> Count(byte[] model, long[] inputShape)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var weights = graph.Initializer.ToDictionary(t => t.Name, t => t.Dims.ToArray());
        // An int8 graph feeds each weight through a DequantizeLinear of an int8 initializer: count that one's shape.
        foreach (var dq in graph.Node.Where(n => n.OpType == "DequantizeLinear" && weights.ContainsKey(n.Input[0])))
            weights[dq.Output[0]] = weights[dq.Input[0]];
        var counted = graph.Node.Where(n => n.OpType is "Conv" or "MatMul").ToList();
        GraphOutputs.Expose(graph, counted.Select(n => n.Output[0]));

        SharedThreadPool.EnsureCreated(new InferenceOptions().Spinning); // the first session of the process decides the environment
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(proto.ToByteArray(), options);
        var zeros = new float[inputShape.Aggregate(1L, (a, b) => a * b)];
        using var input = OrtValue.CreateTensorValueFromMemory(zeros, inputShape);
        var names = counted.Select(n => n.Output[0]).ToArray();
        using var run = new RunOptions();
        using var outputs = session.Run(run, [session.InputNames[0]], [input], names);

        var layers = new List<LayerCost>(counted.Count);
        for (var i = 0; i < counted.Count; i++)
        {
            var node = counted[i];
            var shape = outputs[i].GetTensorTypeAndShape().Shape;
            var w = weights.TryGetValue(node.Input[1], out var dims)
                ? dims
                : throw new ArgumentException($"{node.Name}: weight {node.Input[1]} is not an initializer");
            // Conv weight [M, C/group, kh, kw]: each output element reads C/group x kh x kw inputs. MatMul [K, N]: K.
            var reduction = node.OpType == "Conv" ? w[1] * w[2] * w[3] : w[0];
            layers.Add(new LayerCost(node.Name, node.OpType, shape, shape.Aggregate(1L, (a, b) => a * b) * reduction));
        }
        return layers;
    }

    /// <summary>Total multiply-adds of <see cref="Count"/>.</summary>
    public static long MultiplyAdds(byte[] model, long[] inputShape) => Count(model, inputShape).Sum(l => l.MultiplyAdds);
}
