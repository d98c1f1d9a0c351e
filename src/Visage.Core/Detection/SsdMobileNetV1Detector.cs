using Visage.Faces;
using Visage.Imaging;
using Visage.Models;

namespace Visage.Detection;

/// <summary>
/// SSD MobileNet V1 face detector with face-api.js's pre- and post-processing (<c>SsdMobilenetv1.ts locateFaces</c>):
/// the photo padded bottom/right to a square and resized to 512, score threshold, greedy NMS at IoU 0.5 on
/// the normalized boxes, at most <see cref="MaxResults"/> faces, boxes clipped to the padded square and mapped
/// back to image pixels.
/// </summary>
public sealed class SsdMobileNetV1Detector(ModelRepository models, ModelDescriptor model) : IFaceDetector
{
    private const double IouThreshold = 0.5;

    /// <summary>face-api.js's SSD: its weights, converted here, at 512 with values scaled to [-1, 1].</summary>
    public static ModelDescriptor Fp32 { get; } = new(
        SsdMobileNetV1Graph.NetName, ModelCatalog.PackageVersion,
        new TfjsSource(ModelCatalog.Get(SsdMobileNetV1Graph.NetName), SsdMobileNetV1Graph.ConverterVersion, SsdMobileNetV1Graph.Build),
        new InputFormat(SsdMobileNetV1Graph.InputSize, SquarePadding.BottomRight, new PixelNormalization(0, 0, 0, 127.5f, -1f)));

    /// <summary>
    /// The int8 variant: the same weights quantized per channel, activations from the shipped calibration; the first
    /// convolution stays fp32 (with it in int8, sample2.jpg's third face fell from 0.76 to 0.45 and was lost).
    /// </summary>
    public static ModelDescriptor Int8 { get; } = QdqQuantizer.Int8Variant(Fp32, imageLayerInFp32: true);

    /// <summary>The detector's registered name.</summary>
    public const string DetectorName = "ssd";

    /// <inheritdoc />
    public string Name => DetectorName;

    /// <inheritdoc />
    public ModelDescriptor Model => model;

    /// <summary>Most faces kept per image (face-api.js's <c>maxResults</c> default).</summary>
    public int MaxResults { get; init; } = 100;

    private OnnxNet Net => models.Get(model);

    /// <summary>Loads (converting if needed) the network now rather than on the first image.</summary>
    public void Warm() => _ = Net;

    /// <inheritdoc />
    public IReadOnlyList<FaceDetection> Detect(RgbImage image, PixelRect region, DetectorSettings settings)
    {
        var outputs = Net.RunOne(model.Input, image, region);
        return Select(outputs[0], outputs[1], region, settings.MinScore);
    }

    /// <summary>Threshold, NMS and mapping to image pixels for one region's <c>boxes</c> and <c>scores</c>.</summary>
    private List<FaceDetection> Select(float[] boxes, float[] scores, PixelRect region, float minScore)
    {
        var candidates = new List<int>();
        for (var i = 0; i < scores.Length; i++)
            if (scores[i] > minScore) candidates.Add(i);
        // Stable sort by descending score, as Array.prototype.sort is.
        var order = candidates.OrderByDescending(i => scores[i]).ToList();

        var kept = new List<int>();
        foreach (var c in order)
        {
            if (kept.Count >= MaxResults) break;
            var suppressed = false;
            foreach (var k in kept)
                if (NormalizedIoU(boxes, c, k) > IouThreshold) { suppressed = true; break; }
            if (!suppressed) kept.Add(c);
        }

        // Undo the bottom/right padding: the region filled round(side * 512 / max) of the 512 square.
        var (width, height) = (region.Width, region.Height);
        var scale = SsdMobileNetV1Graph.InputSize / (double)Math.Max(width, height);
        var padX = SsdMobileNetV1Graph.InputSize / JsMath.Round(width * scale);
        var padY = SsdMobileNetV1Graph.InputSize / JsMath.Round(height * scale);
        var result = new List<FaceDetection>(kept.Count);
        foreach (var k in kept)
        {
            double top = Math.Max(0, boxes[k * 4]) * padY, bottom = Math.Min(1, boxes[k * 4 + 2]) * padY;
            double left = Math.Max(0, boxes[k * 4 + 1]) * padX, right = Math.Min(1, boxes[k * 4 + 3]) * padX;
            result.Add(new FaceDetection(new BoundingBox(left * width + region.X, top * height + region.Y, (right - left) * width, (bottom - top) * height), scores[k]));
        }
        return result;
    }

    /// <summary>IoU of two <c>[ymin, xmin, ymax, xmax]</c> boxes, corners sorted; 0 when either has no area.</summary>
    private static double NormalizedIoU(float[] b, int i, int j)
    {
        double yi0 = Math.Min(b[i * 4], b[i * 4 + 2]), xi0 = Math.Min(b[i * 4 + 1], b[i * 4 + 3]);
        double yi1 = Math.Max(b[i * 4], b[i * 4 + 2]), xi1 = Math.Max(b[i * 4 + 1], b[i * 4 + 3]);
        double yj0 = Math.Min(b[j * 4], b[j * 4 + 2]), xj0 = Math.Min(b[j * 4 + 1], b[j * 4 + 3]);
        double yj1 = Math.Max(b[j * 4], b[j * 4 + 2]), xj1 = Math.Max(b[j * 4 + 1], b[j * 4 + 3]);
        var areaI = (yi1 - yi0) * (xi1 - xi0);
        var areaJ = (yj1 - yj0) * (xj1 - xj0);
        if (areaI <= 0 || areaJ <= 0) return 0;
        var inter = Math.Max(Math.Min(yi1, yj1) - Math.Max(yi0, yj0), 0) * Math.Max(Math.Min(xi1, xj1) - Math.Max(xi0, xj0), 0);
        return inter / (areaI + areaJ - inter);
    }
}
