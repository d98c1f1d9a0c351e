namespace Visage.Faces;

/// <summary>
/// The 68 facial points of the iBUG 300-W scheme in image pixels: jaw 0-16, brows 17-26, nose 27-35,
/// eyes 36-47 (the image-left eye first), mouth 48-67.
/// </summary>
public sealed class FaceLandmarks
{
    /// <summary>Number of points.</summary>
    public const int Count = 68;

    /// <summary>Wraps 68 points.</summary>
    /// <exception cref="ArgumentException">Not 68 points.</exception>
    public FaceLandmarks(IReadOnlyList<Point2> points)
    {
        if (points.Count != Count) throw new ArgumentException($"expected {Count} landmarks, got {points.Count}");
        Points = points;
    }

    /// <summary>The points in iBUG order.</summary>
    public IReadOnlyList<Point2> Points { get; }

    /// <summary>Mean of points <c>[from, to]</c> inclusive.</summary>
    public Point2 Mean(int from, int to)
    {
        double x = 0, y = 0;
        for (var i = from; i <= to; i++) { x += Points[i].X; y += Points[i].Y; }
        var n = to - from + 1;
        return new Point2(x / n, y / n);
    }

    /// <summary>Center of the image-left eye (points 36-41).</summary>
    public Point2 LeftEye => Mean(36, 41);

    /// <summary>Center of the image-right eye (points 42-47).</summary>
    public Point2 RightEye => Mean(42, 47);

    /// <summary>Center of the mouth (points 48-67).</summary>
    public Point2 Mouth => Mean(48, 67);

    /// <summary>The smallest box holding every point.</summary>
    public BoundingBox Bounds()
    {
        double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
        foreach (var p in Points)
        {
            x0 = Math.Min(x0, p.X); y0 = Math.Min(y0, p.Y);
            x1 = Math.Max(x1, p.X); y1 = Math.Max(y1, p.Y);
        }
        return new BoundingBox(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>The points moved by (dx, dy).</summary>
    public FaceLandmarks Offset(double dx, double dy) => Map(dx, dy, 1);

    /// <summary>The points moved by (dx, dy), then scaled by <paramref name="scale"/>: <c>(p + d) * scale</c>.</summary>
    public FaceLandmarks Map(double dx, double dy, double scale) =>
        new(Points.Select(p => new Point2((p.X + dx) * scale, (p.Y + dy) * scale)).ToArray());
}
