using Google.Protobuf;
using Visage.Models;

namespace Visage.Tests.Models;

/// <summary>The QDQ rewrite on a small graph it can be checked on by hand.</summary>
public sealed class QdqQuantizerTests
{
    // conv (3 -> 4 channels, 3x3) + relu, then a depthwise conv, then an output conv (1x1 -> 2): only the first is int8.
    private static Onnx.ModelProto SmallNet(out string input)
    {
        var g = new OnnxGraphBuilder("small");
        input = g.Input("input", 1, 3, 8, 8);
        var values = RandomValues(3);
        var x = g.Relu(g.Conv(input, new ConvWeights(values(4 * 3 * 9), [4, 3, 3, 3], values(4)), 1, Padding.Same, "conv"));
        x = g.Relu(g.Conv(x, new ConvWeights(values(4 * 9), [4, 1, 3, 3], values(4)), 1, Padding.Same, "dw", depthwise: true));
        x = g.Conv(x, new ConvWeights(values(2 * 4), [2, 4, 1, 1], values(2)), 1, Padding.Valid, "head");
        g.Output(x, 1, 2, 8, 8);
        return g.Build("test");
    }

    // Four 8x8 inputs of smooth values, one per phase.
    private static List<(float[], long[])> SineSamples(int channels, float step) =>
        [.. Enumerable.Range(0, 4).Select(s => (Enumerable.Range(0, channels * 64).Select(i => MathF.Sin(i * step + s)).ToArray(), new long[] { 1, channels, 8, 8 }))];

    // Weights and biases drawn from [-0.5, 0.5).
    private static Func<int, float[]> RandomValues(int seed)
    {
        var random = new Random(seed);
        return n => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5))];
    }

    [Fact]
    public void Only_full_convolutions_that_feed_the_network_are_quantized_and_they_stay_close_to_fp32()
    {
        var model = SmallNet(out var input);
        var tensors = QdqQuantizer.TensorsToQuantize(model);
        Assert.Equal(["input", "relu"], tensors); // the first conv's input and its ReLU output; not dw's or head's
        var samples = SineSamples(3, 0.37f);
        var ranges = ActivationRanges.Measure(model, tensors, samples);
        Assert.Equal(new ValueRange(samples.Min(x => x.Item1.Min()), samples.Max(x => x.Item1.Max())), ranges["input"]);
        Assert.Equal(0f, ranges["relu"].Min);

        var quantized = QdqQuantizer.Quantize(model, ranges);
        var int8Weights = quantized.Graph.Initializer.Where(t => t.DataType == (int)Onnx.TensorProto.Types.DataType.Int8 && t.Dims.Count == 4).ToList();
        Assert.Equal("conv/W/int8", Assert.Single(int8Weights).Name);

        using var fp32 = new OnnxNet("fp32", model.ToByteArray(), new InferenceOptions());
        using var int8 = new OnnxNet("int8", quantized.ToByteArray(), new InferenceOptions());
        var (data, shape) = samples[1];
        var expected = fp32.Run(data, shape)[0];
        var actual = int8.Run(data, shape)[0];
        Assert.NotEqual(expected, actual);
        var scale = expected.Max(MathF.Abs);
        Assert.All(expected.Zip(actual), p => Assert.True(MathF.Abs(p.First - p.Second) <= 0.05f * scale, $"{p.First} vs {p.Second}"));
    }

    [Fact]
    public void A_residual_sum_adds_in_fp32_and_only_what_a_convolution_reads_is_quantized()
    {
        // A ResNet's last block: conv + relu, then a strided conv2 summed with the pooled shortcut, relu, global mean.
        var g = new OnnxGraphBuilder("residual");
        var input = g.Input("input", 1, 4, 8, 8);
        var values = RandomValues(5);
        var x = g.Relu(g.Conv(input, new ConvWeights(values(4 * 4 * 9), [4, 4, 3, 3], values(4)), 1, Padding.Same, "conv"));
        var branch = g.Conv(x, new ConvWeights(values(4 * 4 * 9), [4, 4, 3, 3], values(4)), 2, Padding.Same, "conv2");
        var shortcut = g.AveragePool(x, 2, 2);
        var sum = g.Relu(g.Add(branch, shortcut));
        g.Output(g.GlobalMean(sum), 1, 4);
        var model = g.Build("test");

        // The convolutions' inputs and outputs are quantized; the shortcut and the sum, which no convolution reads, are
        // not (quantized, they rounded the stream every block of the recognition net carries: a pair of 880 lost).
        var tensors = QdqQuantizer.TensorsToQuantize(model);
        Assert.Equal([input, x, branch], tensors);

        var samples = SineSamples(4, 0.29f);
        var quantized = QdqQuantizer.Quantize(model, ActivationRanges.Measure(model, tensors, samples));
        var add = quantized.Graph.Node.Single(n => n.OpType == "Add");
        Assert.Equal([branch + "/dq", shortcut], add.Input);
        Assert.DoesNotContain(quantized.Graph.Node, n => n.OpType == "QuantizeLinear" && (n.Input[0] == add.Output[0] || n.Input[0] == sum));
    }

    [Fact]
    public void The_image_layer_can_stay_fp32_while_the_layers_after_it_are_quantized()
    {
        var g = new OnnxGraphBuilder("two");
        var input = g.Input("input", 1, 3, 8, 8);
        var values = RandomValues(7);
        var x = g.Relu(g.Conv(input, new ConvWeights(values(4 * 3 * 9), [4, 3, 3, 3], values(4)), 1, Padding.Same, "conv"));
        var y = g.Relu(g.Conv(x, new ConvWeights(values(4 * 4 * 9), [4, 4, 3, 3], values(4)), 1, Padding.Same, "conv2"));
        g.Output(g.Conv(y, new ConvWeights(values(2 * 4), [2, 4, 1, 1], values(2)), 1, Padding.Valid, "head"), 1, 2, 8, 8);
        var model = g.Build("test");

        Assert.Equal([input, x, y], QdqQuantizer.TensorsToQuantize(model));
        Assert.Equal([x, y], QdqQuantizer.TensorsToQuantize(model, imageLayerInFp32: true));
        var samples = SineSamples(3, 0.41f);
        var ranges = ActivationRanges.Measure(model, QdqQuantizer.TensorsToQuantize(model), samples);
        var quantized = QdqQuantizer.Quantize(model, ranges, imageLayerInFp32: true);
        var int8Weights = quantized.Graph.Initializer.Where(t => t.DataType == (int)Onnx.TensorProto.Types.DataType.Int8 && t.Dims.Count == 4);
        Assert.Equal("conv2/W/int8", Assert.Single(int8Weights).Name);
        Assert.Equal(input, quantized.Graph.Node.First(n => n.OpType == "Conv").Input[0]); // the image, not rounded to 8 bits
    }

    [Fact]
    public void Exact_int8_sums_run_the_weights_as_uint8_and_give_the_same_values()
    {
        var model = SmallNet(out _);
        var samples = SineSamples(3, 0.37f);
        var quantized = QdqQuantizer.Quantize(model, ActivationRanges.Measure(model, QdqQuantizer.TensorsToQuantize(model), samples)).ToByteArray();
        var folder = Directory.CreateTempSubdirectory("visage-exact-");
        try
        {
            (float[] Output, int WeightType) Run(bool exact)
            {
                var saved = Path.Combine(folder.FullName, $"{exact}.onnx");
                using var net = new OnnxNet("int8", quantized, new InferenceOptions { ExactInt8Sums = exact }, saveOptimizedTo: saved);
                var graph = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(saved)).Graph;
                var conv = graph.Node.Single(n => n.OpType == "QLinearConv" && n.Input[3].StartsWith("conv/"));
                return (net.Run(samples[2].Item1, samples[2].Item2)[0], graph.Initializer.Single(t => t.Name == conv.Input[3]).DataType);
            }
            var exact = Run(true);
            var plain = Run(false);
            Assert.Equal((int)Onnx.TensorProto.Types.DataType.Uint8, exact.WeightType);
            Assert.Equal((int)Onnx.TensorProto.Types.DataType.Int8, plain.WeightType);
            // Where the CPU's u8 x s8 kernel sums in 32 bits (VNNI, arm64) both forms are exact, so they agree to the bit.
            if (!Visage.Hardware.MlasKernels.Int8SumsSaturate) Assert.Equal(plain.Output, exact.Output);
        }
        finally { folder.Delete(recursive: true); }
    }

    [Fact]
    public void Activation_parameters_hold_zero_exactly_and_cover_the_range()
    {
        var (scale, zeroPoint) = QdqQuantizer.UInt8Parameters(new ValueRange(-1f, 3f));
        Assert.Equal(4f / 255, scale, 1e-7f);
        Assert.Equal(64, zeroPoint);                      // round(1 / (4/255)) = 63.75 -> 64
        var positive = QdqQuantizer.UInt8Parameters(new ValueRange(2f, 6f)); // widened down to 0
        Assert.Equal(6f / 255, positive.Scale, 1e-7f);
        Assert.Equal(0, positive.ZeroPoint);
    }
}
