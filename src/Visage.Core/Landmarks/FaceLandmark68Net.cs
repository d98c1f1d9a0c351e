using Visage.Faces;
using Visage.Imaging;
using Visage.Models;

namespace Visage.Landmarks;

/// <summary>
/// 68-point landmarks for detected faces, with face-api.js's pre- and post-processing
/// (<c>extractFaceTensors</c>, <c>FaceLandmark68NetBase.postProcess</c>, <c>extendWithFaceLandmarks</c>):
/// each detection box clipped to the image and floored, padded centered to a square, resized to 112; all
/// faces of an image in one batch.
/// </summary>
public sealed class FaceLandmark68Net(ModelRepository models, ModelDescriptor model)
{
    private static readonly InputFormat Input = new(FaceLandmark68Graph.InputSize, SquarePadding.Centered, new PixelNormalization(122.782f, 117.001f, 104.298f, 255f));

    /// <summary>The registered name of the full net (the default).</summary>
    public const string FullName = "full";

    /// <summary>The registered name of the tiny net (faster, less precise).</summary>
    public const string TinyName = "tiny";

    /// <summary>face-api.js's full 68-point net.</summary>
    public static ModelDescriptor Full { get; } = Descriptor(FaceLandmark68Graph.FullNetName, FaceLandmark68Graph.BuildFull);

    /// <summary>face-api.js's tiny 68-point net.</summary>
    public static ModelDescriptor Tiny { get; } = Descriptor(FaceLandmark68Graph.TinyNetName, FaceLandmark68Graph.BuildTiny);

    /// <summary>The network it runs.</summary>
    public ModelDescriptor Model => model;

    private OnnxNet Net => models.Get(model);

    // Its layers are too small to keep two cores busy within one run: the three crops a face of the stability check
    // take 17% less as two halves side by side (docs/BENCHMARKS.md, "Small networks side by side").
    private static ModelDescriptor Descriptor(string net, Func<TfjsWeights, Onnx.ModelProto> build) =>
        new(net, ModelCatalog.PackageVersion, new TfjsSource(ModelCatalog.Get(net), FaceLandmark68Graph.ConverterVersion, build), Input,
            SplitBatches: true);

    /// <summary>
    /// Landmarks in image pixels for each box, in order; null for a box that lies entirely outside the image.
    /// </summary>
    public IReadOnlyList<FaceLandmarks?> Detect(RgbImage image, IReadOnlyList<BoundingBox> boxes)
    {
        var crops = boxes.Select(b => PixelRect.ClipFloor(b.X, b.Y, b.Width, b.Height, image.Width, image.Height)).ToArray();
        var valid = Enumerable.Range(0, boxes.Count).Where(i => !crops[i].IsEmpty).ToArray();
        var result = new FaceLandmarks?[boxes.Count];
        if (valid.Length == 0) return result;

        var output = Net.RunMany(model, [.. valid.Select(i => (image, crops[i]))]);

        for (var k = 0; k < valid.Length; k++)
        {
            var i = valid[k];
            result[i] = Decode(output.AsSpan(k * 136, 136), crops[i], boxes[i]);
        }
        return result;
    }

    /// <summary>
    /// Undoes the square padding and maps to pixels. Two face-api.js quirks are kept on purpose: the padding is
    /// assumed symmetric, and the shift is the unfloored box corner although the crop used the floored one.
    /// </summary>
    private static FaceLandmarks Decode(ReadOnlySpan<float> o, PixelRect crop, BoundingBox box)
    {
        const double size = FaceLandmark68Graph.InputSize;
        var s = size / Math.Max(crop.Width, crop.Height);
        double w = crop.Width * s, h = crop.Height * s;
        var padX = w < h ? Math.Abs(w - h) / 2 : 0;
        var padY = h < w ? Math.Abs(w - h) / 2 : 0;
        var points = new Point2[FaceLandmarks.Count];
        for (var p = 0; p < points.Length; p++)
        {
            var relX = (o[2 * p] * size - padX) / w;
            var relY = (o[2 * p + 1] * size - padY) / h;
            points[p] = new Point2(relX * crop.Width + box.X, relY * crop.Height + box.Y);
        }
        return new FaceLandmarks(points);
    }
}
