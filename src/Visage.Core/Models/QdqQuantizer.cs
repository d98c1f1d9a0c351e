using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Visage.Models;

/// <summary>
/// Turns an fp32 graph into the QDQ form of an int8 network, which ONNX Runtime runs with integer kernels (QLinearConv,
/// ... on MLAS's u8 x s8 GEMM: AVX-512 VNNI here, see <see cref="Hardware.MlasKernels"/>): every convolution's weights
/// become int8 per output channel (symmetric, scale <c>max|w| / 127</c>) and its bias int32 at the scale
/// <c>input scale x weight scale</c>; every activation a convolution reads or writes gets a
/// QuantizeLinear/DequantizeLinear pair (uint8, asymmetric, from the calibrated range widened to hold 0). A Relu or
/// Clip(0, 6) right after a layer is quantized at its output, with zero point 0, so ONNX Runtime drops it (the uint8
/// saturation is the activation). Output layers stay fp32, depthwise convolutions keep fp32 weights and residual sums
/// add in fp32 (see <c>Plan</c>); so does, where asked, the layer that reads the image; pooling, padding and the
/// detectors' box decoding stay fp32.
/// </summary>
public static class QdqQuantizer
{
    /// <summary>Version of this rewrite: part of the int8 graphs' cache key.</summary>
    public const int Version = 5;

    private const int Float = (int)TensorProto.Types.DataType.Float;

    /// <summary>
    /// The int8 variant of a network converted from tfjs weights: the same weights and input, the fp32 graph rewritten
    /// by <see cref="Quantize"/> with the ranges shipped for it (<see cref="ActivationRanges.Shipped"/>), cached under
    /// its own id and converter version (the fp32 one x 100 + <see cref="Version"/>).
    /// </summary>
    /// <param name="fp32">The fp32 network.</param>
    /// <param name="imageLayerInFp32">Keep the first convolution (the one that reads the image) in fp32, with its input
    /// unquantized: the resized image's values fall between the 256 steps of a uint8, and rounding them cost SSD a face.</param>
    /// <exception cref="ArgumentException">The network is not converted from tfjs weights.</exception>
    public static ModelDescriptor Int8Variant(ModelDescriptor fp32, bool imageLayerInFp32 = false)
    {
        if (fp32.Source is not TfjsSource source) throw new ArgumentException($"{fp32.Id} is not converted here: quantize it where it is made", nameof(fp32));
        return fp32 with
        {
            Variant = ModelVariant.Int8,
            Source = source with
            {
                ConverterVersion = source.ConverterVersion * 100 + Version,
                Build = weights => Quantize(source.Build(weights), ActivationRanges.Shipped(source.Net.Name), imageLayerInFp32),
            },
        };
    }

    /// <summary>
    /// The activations the int8 graph quantizes, in graph order: what calibration must measure (with the image layer
    /// quantized, so that one calibration serves both forms).
    /// </summary>
    public static IReadOnlyList<string> TensorsToQuantize(ModelProto model, bool imageLayerInFp32 = false) => Plan.Of(model.Graph, imageLayerInFp32).Tensors;

    /// <summary>The QDQ graph of <paramref name="model"/> with activations quantized from <paramref name="ranges"/>.</summary>
    /// <param name="model">The fp32 graph.</param>
    /// <param name="ranges">Each quantized tensor's calibrated range.</param>
    /// <param name="imageLayerInFp32">Leave the first convolution in fp32 (see <see cref="Int8Variant"/>).</param>
    /// <exception cref="ArgumentException">A tensor to quantize has no range.</exception>
    public static ModelProto Quantize(ModelProto model, IReadOnlyDictionary<string, ValueRange> ranges, bool imageLayerInFp32 = false)
    {
        var result = model.Clone();
        var graph = result.Graph;
        var plan = Plan.Of(graph, imageLayerInFp32);
        var parameters = new Dictionary<string, (float Scale, byte ZeroPoint)>();
        foreach (var t in plan.Tensors)
        {
            if (plan.SameAs.TryGetValue(t, out var source)) { parameters[t] = parameters[source]; continue; }
            parameters[t] = ranges.TryGetValue(t, out var r) ? UInt8Parameters(r)
                : throw new ArgumentException($"no calibrated range for {t}", nameof(ranges));
        }

        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var nodes = graph.Node.ToList();
        var quantized = new Dictionary<string, string>();   // tensor -> its dequantized copy
        var added = new List<NodeProto>();
        string Pair(string tensor)
        {
            var (scale, zeroPoint) = parameters[tensor];
            var s = AddInitializer(graph, tensor + "/scale", Float, MemoryMarshal.AsBytes<float>([scale]));
            var z = AddInitializer(graph, tensor + "/zero_point", (int)TensorProto.Types.DataType.Uint8, [zeroPoint]);
            added.Add(NewNode("QuantizeLinear", [tensor, s, z], tensor + "/q"));
            added.Add(NewNode("DequantizeLinear", [tensor + "/q", s, z], tensor + "/dq"));
            return tensor + "/dq";
        }

        graph.Node.Clear();
        var pending = plan.Tensors.ToHashSet();
        foreach (var input in graph.Input.Select(i => i.Name).Where(pending.Contains))
            quantized[input] = Pair(input);
        graph.Node.AddRange(added);
        added.Clear();
        foreach (var node in nodes)
        {
            for (var i = 0; i < node.Input.Count; i++)
                if (quantized.TryGetValue(node.Input[i], out var dq)) node.Input[i] = dq;
            if (node.OpType == "Conv" && initializers.TryGetValue(node.Input[1], out var weight) && plan.ConvInput.ContainsKey(node.Output[0]))
                QuantizeConvWeights(graph, node, weight, node.Input.Count > 2 ? initializers[node.Input[2]] : null,
                    parameters[plan.ConvInput[node.Output[0]]].Scale, added);
            added.Add(node);
            foreach (var output in node.Output.Where(pending.Contains))
                quantized[output] = Pair(output);
            graph.Node.AddRange(added);
            added.Clear();
        }
        var used = graph.Node.SelectMany(n => n.Input).ToHashSet();
        var unused = graph.Initializer.Where(i => !used.Contains(i.Name)).ToList();
        foreach (var i in unused) graph.Initializer.Remove(i);
        result.DocString += $", int8 QDQ v{Version}";
        return result;
    }

    /// <summary>uint8 scale and zero point for a range, widened to hold 0 (so zero padding stays exact).</summary>
    internal static (float Scale, byte ZeroPoint) UInt8Parameters(ValueRange range)
    {
        var lo = Math.Min(range.Min, 0f);
        var hi = Math.Max(range.Max, 0f);
        if (hi - lo < 1e-12f) hi = lo + 1e-6f;
        var scale = (hi - lo) / 255f;
        var zeroPoint = (byte)Math.Clamp(MathF.Round(-lo / scale), 0, 255);
        return (scale, zeroPoint);
    }

    private static void QuantizeConvWeights(GraphProto graph, NodeProto conv, TensorProto weight, TensorProto? bias, float inputScale, List<NodeProto> added)
    {
        var w = MemoryMarshal.Cast<byte, float>(weight.RawData.Span).ToArray();
        var channels = (int)weight.Dims[0];
        var per = w.Length / channels;
        var b = bias is null ? null : MemoryMarshal.Cast<byte, float>(bias.RawData.Span).ToArray();
        var scales = new float[channels];
        var q = new sbyte[w.Length];
        for (var o = 0; o < channels; o++)
        {
            var row = w.AsSpan(o * per, per);
            var scale = MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(row)) / 127f; // MaxMagnitude keeps the sign
            // A bias must fit int32 at input scale x weight scale: widen the weight scale of a channel whose weights
            // are (nearly) zero next to its bias.
            if (b is not null) scale = Math.Max(scale, Math.Abs(b[o]) / (inputScale * (1 << 30)));
            scales[o] = scale > 0 ? scale : 1f;
            for (var k = 0; k < per; k++) q[o * per + k] = (sbyte)Math.Clamp(MathF.Round(row[k] / scales[o]), -127, 127);
        }
        var name = weight.Name;
        var wq = AddInitializer(graph, name + "/int8", (int)TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes<sbyte>(q), [.. weight.Dims]);
        var ws = AddInitializer(graph, name + "/scale", Float, MemoryMarshal.AsBytes<float>(scales), channels);
        var wz = AddInitializer(graph, name + "/zero_point", (int)TensorProto.Types.DataType.Int8, new byte[channels], channels);
        added.Add(NewNode("DequantizeLinear", [wq, ws, wz], name + "/dq", Axis0()));
        conv.Input[1] = name + "/dq";
        if (bias is null || b is null) return;
        var bq = new int[channels];
        var bs = new float[channels];
        for (var o = 0; o < channels; o++)
        {
            bs[o] = inputScale * scales[o];
            bq[o] = (int)Math.Clamp(Math.Round(b[o] / (double)bs[o]), int.MinValue, int.MaxValue);
        }
        var bqName = AddInitializer(graph, bias.Name + "/int32", (int)TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes<int>(bq), channels);
        var bsName = AddInitializer(graph, bias.Name + "/scale", Float, MemoryMarshal.AsBytes<float>(bs), channels);
        var bzName = AddInitializer(graph, bias.Name + "/zero_point", (int)TensorProto.Types.DataType.Int32, new byte[4 * channels], channels);
        added.Add(NewNode("DequantizeLinear", [bqName, bsName, bzName], bias.Name + "/dq", Axis0()));
        conv.Input[2] = bias.Name + "/dq";
    }

    private static string AddInitializer(GraphProto graph, string name, int type, ReadOnlySpan<byte> data, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = type, RawData = ByteString.CopyFrom(data) };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return name;
    }

    private static NodeProto NewNode(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static AttributeProto Axis0() => new() { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 };

    /// <summary>Which tensors get a Q/DQ pair, and which share the parameters of another (a max pool's output and input).</summary>
    private sealed record Plan(List<string> Tensors, Dictionary<string, string> SameAs, Dictionary<string, string> ConvInput)
    {
        public static Plan Of(GraphProto graph, bool imageLayerInFp32)
        {
            var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
            var consumers = new Dictionary<string, List<NodeProto>>();
            foreach (var node in graph.Node)
                foreach (var input in node.Input)
                    (consumers.TryGetValue(input, out var list) ? list : consumers[input] = []).Add(node);
            string Result(string tensor) =>
                consumers.TryGetValue(tensor, out var c) && c.Count == 1 && c[0].OpType is "Relu" or "Clip" && IsZeroToSix(c[0], graph) ? c[0].Output[0] : tensor;

            static bool IsDepthwise(NodeProto conv) => conv.Attribute.Any(a => a.Name == "group" && a.I > 1);
            bool IsOutputLayer(NodeProto conv) =>
                !(consumers.TryGetValue(conv.Output[0], out var c) && c.Any(n => n.OpType is "Conv" or "Relu" or "Clip" or "LeakyRelu" or "Add" or "Pad" or "MaxPool"));

            // The image layer: a convolution that no other convolution precedes (the graph's nodes are in topological order).
            var afterConv = new HashSet<string>();
            bool IsImageLayer(NodeProto conv) => !conv.Input.Any(afterConv.Contains);

            var chosen = new HashSet<string>();
            var convInput = new Dictionary<string, string>();
            foreach (var node in graph.Node)
            {
                var skip = imageLayerInFp32 && node.OpType == "Conv" && IsImageLayer(node);
                if (node.OpType == "Conv" || node.Input.Any(afterConv.Contains)) afterConv.UnionWith(node.Output);
                if (skip) continue;
                // An output layer (a convolution whose result no convolution, activation or sum reads: the detectors'
                // box and class heads) stays fp32: its logits and offsets span wide ranges, and at 8 bits SSD lost a
                // face of group_3_faces.jpg (0.3% of its multiply-adds).
                // A depthwise convolution keeps its fp32 weights in the graph: with the per-channel int8 weights
                // written here SSD's score of the third face of group_3_faces.jpg fell from 0.69 to 0.24 (lost).
                // Its input and output are quantized all the same, and ONNX Runtime quantizes such weights itself
                // when it fuses the layer (its optimized SSD runs 35 QLinearConv either way); then the face scores 0.71.
                if (node.OpType == "Conv" && initializers.Contains(node.Input[1]) && !IsOutputLayer(node) && !IsDepthwise(node))
                {
                    chosen.Add(node.Input[0]);
                    chosen.Add(Result(node.Output[0]));
                    convInput[node.Output[0]] = node.Input[0];
                }
            }
            // A residual sum stays fp32: its terms are dequantized and its result is quantized again only where a
            // convolution reads it. Each quantized sum rounded the one stream the ResNet carries through all its
            // blocks, and the recognition net lost a pair of 880 in `visage eval` (0.9875 against fp32's 0.9886);
            // with fp32 sums it scores 0.9886, at 0.54 ms a face in batches of 8 against 0.51 (docs/BENCHMARKS.md,
            // "int8 networks").

            // Follow the quantized chain through what has an integer kernel: a leaky ReLU (QLinearLeakyRelu) and a max
            // pool (int8 MaxPool, with the same parameters on both sides, so ONNX Runtime drops the pair between them).
            var sameAs = new Dictionary<string, string>();
            foreach (var node in graph.Node)
            {
                if (!chosen.Contains(node.Input[0]) && !sameAs.ContainsKey(node.Input[0])) continue;
                if (node.OpType == "LeakyRelu") chosen.Add(node.Output[0]);
                else if (node.OpType == "MaxPool") { chosen.Add(node.Output[0]); sameAs[node.Output[0]] = Root(sameAs, node.Input[0]); }
            }
            var order = graph.Input.Select(i => i.Name).Concat(graph.Node.SelectMany(n => n.Output)).Where(chosen.Contains).ToList();
            return new Plan(order, sameAs, convInput);
        }

        private static string Root(Dictionary<string, string> sameAs, string tensor) =>
            sameAs.TryGetValue(tensor, out var source) ? source : tensor;

        // Relu, or the Clip(0, 6) of relu6: an activation that uint8 saturation with zero point 0 reproduces.
        private static bool IsZeroToSix(NodeProto node, GraphProto graph)
        {
            if (node.OpType == "Relu") return true;
            if (node.Input.Count < 3) return false;
            float Scalar(string name) => MemoryMarshal.Cast<byte, float>(graph.Initializer.First(i => i.Name == name).RawData.Span)[0];
            return Scalar(node.Input[1]) == 0f && Scalar(node.Input[2]) <= 6f;
        }
    }
}
