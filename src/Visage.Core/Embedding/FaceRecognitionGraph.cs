using Onnx;
using Visage.Models;

namespace Visage.Embedding;

/// <summary>
/// face-api.js's FaceRecognitionNet (a port of dlib's ResNet-34-like <c>dlib_face_recognition_resnet_model_v1</c>)
/// as an ONNX graph. Input <c>input</c> <c>[N, 3, 150, 150]</c> normalized to <c>(x - mean) / 255</c>; output
/// <c>descriptor</c> <c>[N, 128]</c>, not normalized.
/// </summary>
public static class FaceRecognitionGraph
{
    /// <summary>face-api.js name of the weights.</summary>
    public const string NetName = "face_recognition_model";

    /// <summary>Bumped whenever the graph this class writes changes.</summary>
    public const int ConverterVersion = 1;

    /// <summary>The network's input side.</summary>
    public const int InputSize = 150;

    /// <summary>Writes the graph from the tfjs weights.</summary>
    public static ModelProto Build(TfjsWeights w)
    {
        var g = new OnnxGraphBuilder(NetName);
        var x = g.Input("input", -1, 3, InputSize, InputSize);
        x = g.Relu(Conv(g, w, "conv32_down", x, 2));                 // 7x7/2 valid: 150 -> 72
        x = g.MaxPool(x, 3, 2, Padding.Valid);                       // 72 -> 35
        x = Residual(g, w, "conv32_1", x);
        x = Residual(g, w, "conv32_2", x);
        x = Residual(g, w, "conv32_3", x);
        x = ResidualDown(g, w, "conv64_down", x);                    // 35 -> 17
        x = Residual(g, w, "conv64_1", x);
        x = Residual(g, w, "conv64_2", x);
        x = Residual(g, w, "conv64_3", x);
        x = ResidualDown(g, w, "conv128_down", x);                   // 17 -> 8
        x = Residual(g, w, "conv128_1", x);
        x = Residual(g, w, "conv128_2", x);
        x = ResidualDown(g, w, "conv256_down", x, padConv: true);    // conv 8 -> 3, pool 8 -> 4
        x = Residual(g, w, "conv256_1", x);
        x = Residual(g, w, "conv256_2", x);
        x = ResidualDown(g, w, "conv256_down_out", x, padConv: true); // conv 4 -> 1, pool 4 -> 2
        var descriptor = g.Dense(g.GlobalMean(x), w["fc"], bias: null, "fc");
        g.Output(g.Rename(descriptor, "descriptor"), -1, 128);
        return g.Build($"{NetName} from @vladmandic/face-api {ModelCatalog.PackageVersion}, converter v{ConverterVersion}");
    }

    /// <summary>
    /// convLayer.ts: conv + bias, then the scale layer <c>x * weights + biases</c> (folded into the conv).
    /// Stride 2 convs are 'valid', stride 1 convs 'same'.
    /// </summary>
    private static string Conv(OnnxGraphBuilder g, TfjsWeights w, string prefix, string x, int stride)
    {
        var conv = ConvWeights.FromHwio(w[$"{prefix}/conv/filters"], w[$"{prefix}/conv/bias"])
            .ThenAffine(w[$"{prefix}/scale/weights"].Data, w[$"{prefix}/scale/biases"].Data);
        return g.Conv(x, conv, stride, stride == 2 ? Padding.Valid : Padding.Same, prefix);
    }

    /// <summary><c>relu(convNoRelu(conv(x)) + x)</c>.</summary>
    private static string Residual(OnnxGraphBuilder g, TfjsWeights w, string prefix, string x)
    {
        var y = g.Relu(Conv(g, w, $"{prefix}/conv1", x, 1));
        return g.Relu(g.Add(Conv(g, w, $"{prefix}/conv2", y, 1), x));
    }

    /// <summary>
    /// residualLayer.ts <c>residualDown</c>: a stride-2 branch added to a 2x2 average pool of the input whose
    /// channels are doubled with zeros when the branch doubles them. Where the valid conv comes out one smaller than the pool (8 -> 3 vs 4,
    /// 4 -> 1 vs 2), the conv branch gets one zero row and column at the end, after its second conv.
    /// </summary>
    private static string ResidualDown(OnnxGraphBuilder g, TfjsWeights w, string prefix, string x, bool padConv = false)
    {
        var y = g.Relu(Conv(g, w, $"{prefix}/conv1", x, 2));
        y = Conv(g, w, $"{prefix}/conv2", y, 1);
        if (padConv) y = g.ZeroPad(y, [0, 0, 0, 0, 0, 0, 1, 1]);
        var filters = w[$"{prefix}/conv1/conv/filters"].Shape;
        var (inChannels, outChannels) = (filters[2], filters[3]);
        var pooled = g.AveragePool(x, 2, 2);
        if (outChannels != inChannels) pooled = g.ZeroPad(pooled, [0, 0, 0, 0, 0, outChannels - inChannels, 0, 0]);
        return g.Relu(g.Add(pooled, y));
    }
}
