using Visage.Faces;

namespace Visage.Detection;

/// <summary>Merges the detections of several passes (full photo, tiles) into one box per face.</summary>
public static class BoxMerge
{
    /// <summary>Boxes overlapping more than this (IoU) are the same face.</summary>
    public const double IouThreshold = 0.4;

    /// <summary>A box lying this much (intersection over the smaller area) inside a better one is part of the same face.</summary>
    public const double ContainedThreshold = 0.6;

    /// <summary>Greedy non-maximum suppression across passes: best score first, drop boxes that overlap or sit inside a kept one.</summary>
    public static List<T> Suppress<T>(IReadOnlyList<T> items, Func<T, FaceDetection> detection)
    {
        var order = new int[items.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var scores = new float[items.Count];
        for (var i = 0; i < scores.Length; i++) scores[i] = detection(items[i]).Score;
        // Equal scores keep pass order (the full photo before its tiles).
        Array.Sort(order, (x, y) => scores[x] != scores[y] ? scores[y].CompareTo(scores[x]) : x.CompareTo(y));
        var kept = new List<T>();
        foreach (var i in order)
        {
            var box = detection(items[i]).Box;
            var same = false;
            foreach (var k in kept)
                if (SameFace(box, detection(k).Box)) { same = true; break; }
            if (!same) kept.Add(items[i]);
        }
        return kept;
    }

    /// <summary>True when two boxes are taken for one face.</summary>
    public static bool SameFace(BoundingBox a, BoundingBox b)
    {
        if (a.IoU(b) > IouThreshold) return true;
        var iw = Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X);
        var ih = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y);
        if (iw <= 0 || ih <= 0) return false;
        var smaller = Math.Min(a.Area, b.Area);
        return smaller > 0 && iw * ih / smaller > ContainedThreshold;
    }
}
