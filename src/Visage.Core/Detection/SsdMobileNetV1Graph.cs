using Onnx;
using Visage.Models;

namespace Visage.Detection;

/// <summary>
/// face-api.js's SSD MobileNet V1 (<c>ssdMobilenetv1/</c>) restated as an ONNX graph. Input <c>input</c>
/// <c>[N, 3, 512, 512]</c>, already normalized to <c>x / 127.5 - 1</c>. Outputs <c>boxes</c> <c>[N, 5118, 4]</c>
/// (<c>ymin, xmin, ymax, xmax</c> relative to the padded square, decoded against the stored anchors) and
/// <c>scores</c> <c>[N, 5118]</c> (sigmoid of class logit 1).
/// </summary>
public static class SsdMobileNetV1Graph
{
    /// <summary>face-api.js name of the weights.</summary>
    public const string NetName = "ssd_mobilenetv1_model";

    /// <summary>Bumped whenever the graph this class writes changes, so cached graphs are rebuilt.</summary>
    public const int ConverterVersion = 1;

    /// <summary>The network's input side.</summary>
    public const int InputSize = 512;

    /// <summary>Number of anchors over the six feature maps (3072 + 1536 + 384 + 96 + 24 + 6).</summary>
    public const int AnchorCount = 5118;

    // tf.batchNorm epsilon used by mobileNetV1.ts.
    private const double BatchNormEpsilon = 0.0010000000474974513;

    /// <summary>Writes the graph from the tfjs weights.</summary>
    public static ModelProto Build(TfjsWeights w)
    {
        var g = new OnnxGraphBuilder(NetName);
        var x = g.Input("input", -1, 3, InputSize, InputSize);

        // Backbone: a 3x3 conv, then 13 depthwise/pointwise pairs; conv 11's output feeds the first head.
        x = Pointwise(g, w, "MobilenetV1/Conv2d_0_pointwise", x, 2);
        string? conv11 = null;
        for (var i = 1; i <= 13; i++)
        {
            var stride = i is 2 or 4 or 6 or 12 ? 2 : 1;
            x = Depthwise(g, w, $"MobilenetV1/Conv2d_{i}_depthwise", x, stride);
            x = Pointwise(g, w, $"MobilenetV1/Conv2d_{i}_pointwise", x, 1);
            if (i == 11) conv11 = x;
        }

        // Extra feature maps: 16 -> 8 -> 4 -> 2 -> 1.
        var maps = new List<string> { conv11!, x };
        var p = x;
        for (var i = 0; i < 8; i++)
        {
            p = Pointwise(g, w, $"Prediction/Conv2d_{i}_pointwise", p, i % 2 == 1 ? 2 : 1);
            if (i % 2 == 1) maps.Add(p);
        }

        var encodings = new List<string>();
        var logits = new List<string>();
        for (var i = 0; i < maps.Count; i++)
        {
            var prefix = $"Prediction/BoxPredictor_{i}";
            encodings.Add(Head(g, w, $"{prefix}/BoxEncodingPredictor", maps[i], 4));
            logits.Add(Head(g, w, $"{prefix}/ClassPredictor", maps[i], 3));
        }
        var encoding = g.Concat(1, [.. encodings]);   // [N, 5118, 4] = ty, tx, th, tw
        var classes = g.Concat(1, [.. logits]);       // [N, 5118, 3]

        g.Output(g.Rename(DecodeBoxes(g, w["Output/extra_dim"], encoding), "boxes"), -1, AnchorCount, 4);
        var score = g.Unary("Sigmoid", g.Slice(classes, 2, 1, 2));
        g.Output(g.Rename(g.Reshape(score, 0, -1), "scores"), -1, AnchorCount);
        return g.Build($"{NetName} from @vladmandic/face-api {ModelCatalog.PackageVersion}, converter v{ConverterVersion}");
    }

    /// <summary>conv (batch norm already folded into <c>convolution_bn_offset</c>) + relu6.</summary>
    private static string Pointwise(OnnxGraphBuilder g, TfjsWeights w, string name, string x, int stride) =>
        g.Relu6(g.Conv(x, ConvWeights.FromHwio(w[$"{name}/weights"], w[$"{name}/convolution_bn_offset"]), stride, Padding.Same, name));

    /// <summary>depthwise conv + batch norm (folded here) + relu6.</summary>
    private static string Depthwise(OnnxGraphBuilder g, TfjsWeights w, string name, string x, int stride)
    {
        var conv = ConvWeights.FromDepthwise(w[$"{name}/depthwise_weights"]).ThenBatchNorm(
            w[$"{name}/BatchNorm/moving_mean"], w[$"{name}/BatchNorm/moving_variance"],
            w[$"{name}/BatchNorm/beta"], w[$"{name}/BatchNorm/gamma"], BatchNormEpsilon);
        return g.Relu6(g.Conv(x, conv, stride, Padding.Same, name, depthwise: true));
    }

    /// <summary>1x1 conv + bias, then NHWC order reshaped to <c>[N, H*W*anchors, values]</c> like tfjs's reshape.</summary>
    private static string Head(OnnxGraphBuilder g, TfjsWeights w, string name, string x, int values)
    {
        var conv = g.Conv(x, ConvWeights.FromHwio(w[$"{name}/weights"], w[$"{name}/biases"]), 1, Padding.Same, name);
        return g.Reshape(g.ToNhwc(conv), 0, -1, values);
    }

    /// <summary>
    /// outputLayer.ts: center/size box coder with scales 10, 10, 5, 5 against the stored anchors
    /// (<c>[ymin, xmin, ymax, xmax]</c>).
    /// </summary>
    private static string DecodeBoxes(OnnxGraphBuilder g, TfjsTensor anchors, string encoding)
    {
        var n = anchors.Shape[1];
        float[] ha = new float[n], wa = new float[n], cy = new float[n], cx = new float[n];
        for (var i = 0; i < n; i++)
        {
            var a = anchors.Data.AsSpan(i * 4, 4);
            ha[i] = a[2] - a[0];
            wa[i] = a[3] - a[1];
            cy[i] = a[0] + ha[i] / 2;
            cx[i] = a[1] + wa[i] / 2;
        }
        string C(string name, float[] v) => g.Constant(name, v, n, 1);
        string Part(int k) => g.Slice(encoding, 2, k, k + 1); // [N, n, 1]
        var (ty, tx, th, tw) = (Part(0), Part(1), Part(2), Part(3));
        var (cHa, cWa) = (C("anchor_h", ha), C("anchor_w", wa));
        var ten = g.Constant("ten", [10f]);
        var five = g.Constant("five", [5f]);
        var two = g.Constant("two", [2f]);
        var centerY = g.Binary("Add", g.Binary("Mul", g.Binary("Div", ty, ten), cHa), C("anchor_cy", cy));
        var centerX = g.Binary("Add", g.Binary("Mul", g.Binary("Div", tx, ten), cWa), C("anchor_cx", cx));
        var halfH = g.Binary("Div", g.Binary("Mul", g.Unary("Exp", g.Binary("Div", th, five)), cHa), two);
        var halfW = g.Binary("Div", g.Binary("Mul", g.Unary("Exp", g.Binary("Div", tw, five)), cWa), two);
        return g.Concat(2,
            g.Binary("Sub", centerY, halfH), g.Binary("Sub", centerX, halfW),
            g.Binary("Add", centerY, halfH), g.Binary("Add", centerX, halfW));
    }
}
