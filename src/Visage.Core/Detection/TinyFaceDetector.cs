using Visage.Faces;
using Visage.Imaging;
using Visage.Models;

namespace Visage.Detection;

/// <summary>
/// The Tiny Face Detector with face-api.js's pre- and post-processing (<c>TinyYolov2Base.ts detect</c>):
/// bottom/right padding to a square of the input size (416 by default, any multiple of 32), YOLO decoding with five anchors, NMS at IoU 0.4.
/// About 16 times cheaper than SSD at 416; its boxes are larger (they cover the whole head) and are not clipped.
/// </summary>
public sealed class TinyFaceDetector(ModelRepository models, ModelDescriptor model) : IFaceDetector
{
    private const double IouThreshold = 0.4;

    /// <summary>face-api.js's Tiny Face Detector: its weights, converted here, at 416 by default (any multiple of 32).</summary>
    public static ModelDescriptor Fp32 { get; } = new(
        TinyFaceDetectorGraph.NetName, ModelCatalog.PackageVersion,
        new TfjsSource(ModelCatalog.Get(TinyFaceDetectorGraph.NetName), TinyFaceDetectorGraph.ConverterVersion, TinyFaceDetectorGraph.Build),
        new InputFormat(416, SquarePadding.BottomRight, new PixelNormalization(117.001f, 114.697f, 97.404f, 255f)));

    /// <summary>The int8 variant: the same weights quantized per channel, activations from the shipped calibration.</summary>
    public static ModelDescriptor Int8 { get; } = QdqQuantizer.Int8Variant(Fp32);

    /// <summary>The detector's registered name.</summary>
    public const string DetectorName = "tiny";
    // const.ts BOX_ANCHORS: (width, height) in grid cells.
    private static readonly (double W, double H)[] Anchors =
        [(1.603231, 2.094468), (6.041143, 7.080126), (2.882459, 3.518061), (4.266906, 5.178857), (9.041765, 10.66308)];

    /// <inheritdoc />
    public string Name => DetectorName;

    /// <inheritdoc />
    public ModelDescriptor Model => model;

    private OnnxNet Net => models.Get(model);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input size is not a positive multiple of 32.</exception>
    public IReadOnlyList<FaceDetection> Detect(RgbImage image, PixelRect region, DetectorSettings settings)
    {
        var size = this.InputSize(settings);
        if (size % 32 != 0 || size <= 0) throw new ArgumentException($"input size {size} is not a positive multiple of 32");
        var minScore = settings.MinScore;
        var grid = Net.RunOne(model.Input, image, region, size)[0];

        var cells = size / 32;
        var (width, height) = (region.Width, region.Height);
        var scale = size / (double)Math.Max(width, height);
        var (rw, rh) = (JsMath.Round(width * scale), JsMath.Round(height * scale));
        var side = Math.Max(rw, rh);
        var (cfX, cfY) = (side / rw, side / rh);

        var boxes = new List<(BoundingBox Relative, float Score)>();
        for (var row = 0; row < cells; row++)
            for (var col = 0; col < cells; col++)
                for (var a = 0; a < Anchors.Length; a++)
                {
                    var o = ((row * cells + col) * Anchors.Length + a) * 5;
                    var score = Sigmoid(grid[o + 4]);
                    if (!(score > minScore)) continue;
                    var cx = (col + Sigmoid(grid[o])) / cells * cfX;
                    var cy = (row + Sigmoid(grid[o + 1])) / cells * cfY;
                    var w = Math.Exp(grid[o + 2]) * Anchors[a].W / cells * cfX;
                    var h = Math.Exp(grid[o + 3]) * Anchors[a].H / cells * cfY;
                    boxes.Add((new BoundingBox(cx - w / 2, cy - h / 2, w, h), (float)score));
                }

        var result = new List<FaceDetection>();
        foreach (var i in NonMaxSuppression(boxes))
        {
            var b = boxes[i].Relative;
            result.Add(new FaceDetection(new BoundingBox(b.X * width + region.X, b.Y * height + region.Y, b.Width * width, b.Height * height), boxes[i].Score));
        }
        return result;
    }

    /// <summary>ops/nonMaxSuppression.ts: repeatedly take the best box and drop the rest with IoU over 0.4.</summary>
    private static List<int> NonMaxSuppression(List<(BoundingBox Relative, float Score)> boxes)
    {
        // Ascending stable sort, popped from the end: equal scores come out last index first, as in face-api.
        var remaining = Enumerable.Range(0, boxes.Count).OrderBy(i => boxes[i].Score).ToList();
        var pick = new List<int>();
        while (remaining.Count > 0)
        {
            var current = remaining[^1];
            remaining.RemoveAt(remaining.Count - 1);
            pick.Add(current);
            remaining.RemoveAll(i => boxes[current].Relative.IoU(boxes[i].Relative) > IouThreshold);
        }
        return pick;
    }

    private static double Sigmoid(float x) => 1 / (1 + Math.Exp(-x));
}
