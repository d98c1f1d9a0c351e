using Onnx;
using Visage.Models;

namespace Visage.Landmarks;

/// <summary>
/// face-api.js's 68-point landmark nets (<c>faceFeatureExtractor/</c>, <c>faceLandmarkNet/</c>) as ONNX graphs.
/// Input <c>input</c> <c>[N, 3, 112, 112]</c> normalized to <c>(x - mean) / 255</c>; output <c>landmarks</c>
/// <c>[N, 136]</c>: x0, y0, x1, y1, ... relative to the 112 square (before un-padding).
/// The full net is four dense blocks of four convs; the tiny net three blocks of three.
/// </summary>
public static class FaceLandmark68Graph
{
    /// <summary>face-api.js name of the full net's weights.</summary>
    public const string FullNetName = "face_landmark_68_model";

    /// <summary>face-api.js name of the tiny net's weights.</summary>
    public const string TinyNetName = "face_landmark_68_tiny_model";

    /// <summary>Bumped whenever the graph this class writes changes.</summary>
    public const int ConverterVersion = 1;

    /// <summary>The networks' input side.</summary>
    public const int InputSize = 112;

    /// <summary>Writes the full net's graph.</summary>
    public static ModelProto BuildFull(TfjsWeights w) => Build(w, FullNetName, blocks: 4, convsPerBlock: 4, poolSize: 7);

    /// <summary>Writes the tiny net's graph.</summary>
    public static ModelProto BuildTiny(TfjsWeights w) => Build(w, TinyNetName, blocks: 3, convsPerBlock: 3, poolSize: 14);

    private static ModelProto Build(TfjsWeights w, string name, int blocks, int convsPerBlock, int poolSize)
    {
        var g = new OnnxGraphBuilder(name);
        var x = g.Input("input", -1, 3, InputSize, InputSize);
        for (var b = 0; b < blocks; b++) x = DenseBlock(g, w, $"dense{b}", x, convsPerBlock, isFirst: b == 0);
        x = g.AveragePool(x, poolSize, 2);
        var fc = g.Dense(g.Flatten(x), w["fc/weights"], w["fc/bias"], "fc");
        g.Output(g.Rename(fc, "landmarks"), -1, 136);
        return g.Build($"{name} from @vladmandic/face-api {ModelCatalog.PackageVersion}, converter v{ConverterVersion}");
    }

    /// <summary>
    /// denseBlock.ts: <c>out1 = relu(conv0(x))</c> (stride 2), then each further conv reads the relu of the sum of
    /// all previous outputs; the block returns the relu of the sum of all of them.
    /// </summary>
    private static string DenseBlock(OnnxGraphBuilder g, TfjsWeights w, string prefix, string x, int convs, bool isFirst)
    {
        var first = isFirst
            ? g.Conv(x, ConvWeights.FromHwio(w[$"{prefix}/conv0/filters"], w[$"{prefix}/conv0/bias"]), 2, Padding.Same, $"{prefix}/conv0")
            : SeparableConv(g, w, $"{prefix}/conv0", x, 2);
        var sum = g.Relu(first);
        for (var i = 1; i < convs; i++)
        {
            var input = i == 1 ? sum : g.Relu(sum);
            sum = g.Add(sum, SeparableConv(g, w, $"{prefix}/conv{i}", input, 1));
        }
        return g.Relu(sum);
    }

    /// <summary>tf.separableConv2d (depthwise with the stride, then 1x1) + one bias after the pointwise conv.</summary>
    private static string SeparableConv(OnnxGraphBuilder g, TfjsWeights w, string name, string x, int stride)
    {
        var dw = g.Conv(x, ConvWeights.FromDepthwise(w[$"{name}/depthwise_filter"]), stride, Padding.Same, name + "/depthwise", depthwise: true);
        return g.Conv(dw, ConvWeights.FromHwio(w[$"{name}/pointwise_filter"], w[$"{name}/bias"]), 1, Padding.Valid, name + "/pointwise");
    }
}
