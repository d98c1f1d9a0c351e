using Onnx;
using Visage.Models;

namespace Visage.Detection;

/// <summary>
/// face-api.js's Tiny Face Detector (<c>tinyYolov2/TinyYolov2Base.ts runMobilenet</c> with separable convs) as an
/// ONNX graph. Input <c>input</c> <c>[N, 3, S, S]</c> (S a multiple of 32, normalized to <c>(x - mean) / 255</c>);
/// output <c>grid</c> <c>[N, S/32, S/32, 25]</c> in TensorFlow's NHWC order: per cell 5 anchors x
/// <c>[tx, ty, tw, th, to]</c>.
/// </summary>
public static class TinyFaceDetectorGraph
{
    /// <summary>face-api.js name of the weights.</summary>
    public const string NetName = "tiny_face_detector_model";

    /// <summary>Bumped whenever the graph this class writes changes.</summary>
    public const int ConverterVersion = 1;

    // leaky.ts multiplies by this float32 0.1.
    private const float LeakyAlpha = 0.10000000149011612f;

    /// <summary>Writes the graph from the tfjs weights.</summary>
    public static ModelProto Build(TfjsWeights w)
    {
        var g = new OnnxGraphBuilder(NetName);
        var x = g.Input("input", -1, 3, -1, -1);
        // conv0 is 'valid' with no padding (416 -> 414).
        x = g.LeakyRelu(g.Conv(x, ConvWeights.FromHwio(w["conv0/filters"], w["conv0/bias"]), 1, Padding.Valid, "conv0"), LeakyAlpha);
        x = g.MaxPool(x, 2, 2, Padding.Same);
        for (var i = 1; i <= 5; i++)
        {
            // tf.pad by 1, then a 'valid' 3x3 depthwise: the same as 'same' at stride 1.
            var name = $"conv{i}";
            x = g.Conv(x, ConvWeights.FromDepthwise(w[$"{name}/depthwise_filter"]), 1, Padding.Same, name + "/depthwise", depthwise: true);
            x = g.LeakyRelu(g.Conv(x, ConvWeights.FromHwio(w[$"{name}/pointwise_filter"], w[$"{name}/bias"]), 1, Padding.Valid, name + "/pointwise"), LeakyAlpha);
            x = g.MaxPool(x, 2, i < 5 ? 2 : 1, Padding.Same);
        }
        // conv6 and conv7 are absent from these weights, so face-api skips them.
        x = g.Conv(x, ConvWeights.FromHwio(w["conv8/filters"], w["conv8/bias"]), 1, Padding.Valid, "conv8");
        g.Output(g.Rename(g.ToNhwc(x), "grid"), -1, -1, -1, 25);
        return g.Build($"{NetName} from @vladmandic/face-api {ModelCatalog.PackageVersion}, converter v{ConverterVersion}");
    }
}
