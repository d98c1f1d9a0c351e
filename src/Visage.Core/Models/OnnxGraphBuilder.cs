using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Visage.Models;

/// <summary>How a convolution or pooling window is padded.</summary>
public enum Padding
{
    /// <summary>No padding (TensorFlow <c>'valid'</c>).</summary>
    Valid,
    /// <summary>TensorFlow <c>'same'</c>: output = ceil(input / stride), any odd extra padding at the end (bottom/right).</summary>
    Same,
}

/// <summary>
/// Builds an ONNX graph (opset 17, float32, NCHW) one layer at a time with the ONNX protobuf classes,
/// naming values uniquely. Each net's graph factory uses it to restate a tfjs network layer by layer.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>ONNX operator set the graphs are written for.</summary>
    public const int Opset = 17;

    private const int FloatType = (int)TensorProto.Types.DataType.Float;
    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Starts an empty graph.</summary>
    public OnnxGraphBuilder(string name) => _graph = new GraphProto { Name = name };

    /// <summary>Declares a float input; a dimension of -1 is symbolic (the first is the batch, <c>N</c>).</summary>
    public string Input(string name, params long[] dims)
    {
        _graph.Input.Add(ValueInfo(Unique(name), dims));
        return name;
    }

    /// <summary>Marks a value as a graph output under its own name.</summary>
    public void Output(string value, params long[] dims) => _graph.Output.Add(ValueInfo(value, dims));

    /// <summary>Gives a value a chosen name (for outputs), through an Identity node.</summary>
    public string Rename(string value, string name) => Node("Identity", [value], name);

    /// <summary>A float constant (initializer).</summary>
    public string Constant(string hint, ReadOnlySpan<float> data, params long[] dims)
    {
        var name = Unique(hint);
        var tensor = new TensorProto { Name = name, DataType = FloatType, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data)) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An int64 constant (shapes, pads, axes).</summary>
    public string ConstantInt64(string hint, params long[] values)
    {
        var name = Unique(hint);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes<long>(values)) };
        tensor.Dims.Add(values.Length);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds one node with one output and returns the output's name.</summary>
    public string Node(string op, string[] inputs, string? hint = null, params AttributeProto[] attributes)
    {
        var output = Unique(hint ?? op.ToLowerInvariant());
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>Convolution with bias; <paramref name="depthwise"/> sets <c>group</c> to the channel count.</summary>
    public string Conv(string x, ConvWeights w, int stride, Padding padding, string hint, bool depthwise = false)
    {
        var weight = Constant(hint + "/W", w.Weight, w.Dims);
        var bias = Constant(hint + "/B", w.Bias, w.Dims[0]);
        var attrs = new List<AttributeProto>
        {
            Ints("kernel_shape", w.Dims[2], w.Dims[3]),
            Ints("strides", stride, stride),
            Int("group", depthwise ? w.Dims[0] : 1),
        };
        attrs.Add(padding == Padding.Same ? Str("auto_pad", "SAME_UPPER") : Ints("pads", 0, 0, 0, 0));
        return Node("Conv", [x, weight, bias], hint, [.. attrs]);
    }

    /// <summary>Max pooling; TensorFlow <c>'same'</c> padding ignores the padded cells, as ONNX does.</summary>
    public string MaxPool(string x, int kernel, int stride, Padding padding, string? hint = null) =>
        Node("MaxPool", [x], hint, Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride),
            padding == Padding.Same ? Str("auto_pad", "SAME_UPPER") : Ints("pads", 0, 0, 0, 0));

    /// <summary>Average pooling without padding.</summary>
    public string AveragePool(string x, int kernel, int stride, string? hint = null) =>
        Node("AveragePool", [x], hint, Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", 0, 0, 0, 0));

    /// <summary>Zero padding of an NCHW tensor: <c>[n0, c0, h0, w0, n1, c1, h1, w1]</c> (begin then end).</summary>
    public string ZeroPad(string x, long[] pads, string? hint = null) => Node("Pad", [x, ConstantInt64("pads", pads)], hint);

    /// <summary><c>max(x, 0)</c>.</summary>
    public string Relu(string x) => Node("Relu", [x]);

    /// <summary><c>min(max(x, 0), 6)</c>.</summary>
    public string Relu6(string x) => Node("Clip", [x, Constant("zero", [0f]), Constant("six", [6f])], "relu6");

    /// <summary><c>max(x, alpha x)</c> for 0 &lt; alpha &lt; 1.</summary>
    public string LeakyRelu(string x, float alpha) => Node("LeakyRelu", [x], null, Float("alpha", alpha));

    /// <summary>Element-wise sum (with broadcasting).</summary>
    public string Add(string a, string b) => Node("Add", [a, b]);

    /// <summary>Mean over the spatial axes, keeping nothing: <c>[N, C, H, W]</c> to <c>[N, C]</c>.</summary>
    public string GlobalMean(string x) => Node("ReduceMean", [x], null, Ints("axes", 2, 3), Int("keepdims", 0));

    /// <summary>Reshape to <c>[N, rest]</c>.</summary>
    public string Flatten(string x) => Node("Flatten", [x], null, Int("axis", 1));

    /// <summary>Fully connected layer <c>x W + b</c> with TensorFlow's <c>[in, out]</c> weight; no bias when null.</summary>
    public string Dense(string x, TfjsTensor weights, TfjsTensor? bias, string hint)
    {
        var w = Constant(hint + "/W", weights.Data, weights.Shape[0], weights.Shape[1]);
        var y = Node("MatMul", [x, w], hint + "/matmul");
        return bias is null ? y : Node("Add", [y, Constant(hint + "/B", bias.Data, bias.Shape[0])], hint);
    }

    /// <summary>NCHW to NHWC: <c>[N, C, H, W]</c> to <c>[N, H, W, C]</c>, TensorFlow's memory order.</summary>
    public string ToNhwc(string x) => Node("Transpose", [x], null, Ints("perm", 0, 2, 3, 1));

    /// <summary>Reshape; 0 copies the input's dimension, -1 is inferred.</summary>
    public string Reshape(string x, params long[] shape) => Node("Reshape", [x, ConstantInt64("shape", shape)]);

    /// <summary>Concatenation along an axis.</summary>
    public string Concat(int axis, params string[] inputs) => Node("Concat", inputs, null, Int("axis", axis));

    /// <summary>Elements <c>[start, end)</c> of one axis.</summary>
    public string Slice(string x, int axis, long start, long end) =>
        Node("Slice", [x, ConstantInt64("starts", start), ConstantInt64("ends", end), ConstantInt64("axes", axis)]);

    /// <summary>Element-wise binary op (<c>Add</c>, <c>Sub</c>, <c>Mul</c>, <c>Div</c>) with broadcasting.</summary>
    public string Binary(string op, string a, string b) => Node(op, [a, b]);

    /// <summary>Element-wise unary op (<c>Exp</c>, <c>Sigmoid</c>, ...).</summary>
    public string Unary(string op, string x) => Node(op, [x]);

    /// <summary>Finishes the model.</summary>
    public ModelProto Build(string docString)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "visage",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    private string Unique(string hint)
    {
        var name = hint;
        for (var i = 1; !_names.Add(name); i++) name = $"{hint}_{i}";
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        for (var i = 0; i < dims.Length; i++)
            shape.Dim.Add(dims[i] < 0
                ? new TensorShapeProto.Types.Dimension { DimParam = i == 0 ? "N" : $"d{i}" }
                : new TensorShapeProto.Types.Dimension { DimValue = dims[i] });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = shape } },
        };
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static AttributeProto Str(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };
}
