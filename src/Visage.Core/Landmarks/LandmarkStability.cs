using Visage.Faces;
using Visage.Imaging;

namespace Visage.Landmarks;

/// <summary>
/// Tells a face from a face-like detection by its landmarks: on a real face the 68 points stay on the eyes, nose
/// and mouth when the detection box moves; on anything else the landmark net draws a mean face that follows the
/// box. The drift is the mean movement of points 17-67 over two perturbed boxes, in units of the face's size
/// (the scale of its similarity transform onto dlib's unit mean face).
/// </summary>
public static class LandmarkStability
{
    /// <summary>
    /// Default rejection threshold. Measured on ../shared/data: faces found by SSD at score 0.9 or more drift
    /// 0.027 (median), 0.16 (99th percentile); the cat SSD finds at 0.93 drifts 0.50, and 0.35 in the bordered pass.
    /// </summary>
    public const double DefaultMaxDrift = 0.25;

    /// <summary>The two perturbed boxes: moved by about a tenth of the box and rescaled by 10%.</summary>
    public static (BoundingBox A, BoundingBox B) Perturb(BoundingBox box) => (
        new BoundingBox(box.X + box.Width * 0.12, box.Y - box.Height * 0.08, box.Width * 1.1, box.Height * 1.1),
        new BoundingBox(box.X - box.Width * 0.1, box.Y + box.Height * 0.1, box.Width * 0.9, box.Height * 0.9));

    /// <summary>The drift of <paramref name="landmarks"/> given the landmarks found from the two perturbed boxes.</summary>
    public static double Drift(FaceLandmarks landmarks, FaceLandmarks moved, FaceLandmarks rescaled)
    {
        var scale = MeanFace.Fit(landmarks, 1, 0).Scale;
        if (!(scale > 0)) return double.PositiveInfinity;
        double sum = 0;
        for (var i = 17; i < FaceLandmarks.Count; i++)
            sum += landmarks.Points[i].DistanceTo(moved.Points[i]) + landmarks.Points[i].DistanceTo(rescaled.Points[i]);
        return sum / (2 * (FaceLandmarks.Count - 17) * scale);
    }

    /// <summary>
    /// Landmarks for each box, and its drift (one landmark batch of three crops per box). Null landmarks for a box
    /// outside the image; infinite drift when a perturbed box fell outside.
    /// </summary>
    public static (FaceLandmarks? Landmarks, double Drift)[] Measure(FaceLandmark68Net net, RgbImage image, IReadOnlyList<BoundingBox> boxes)
    {
        var all = new List<BoundingBox>(boxes.Count * 3);
        foreach (var b in boxes)
        {
            var (moved, rescaled) = Perturb(b);
            all.Add(b);
            all.Add(moved);
            all.Add(rescaled);
        }
        var points = net.Detect(image, all);
        var result = new (FaceLandmarks?, double)[boxes.Count];
        for (var i = 0; i < boxes.Count; i++)
        {
            var (lm, moved, rescaled) = (points[3 * i], points[3 * i + 1], points[3 * i + 2]);
            result[i] = (lm, lm is null || moved is null || rescaled is null ? double.PositiveInfinity : Drift(lm, moved, rescaled));
        }
        return result;
    }
}
