namespace Visage.Faces;

/// <summary>An axis-aligned box in image pixels: x to the right, y down, origin at the top-left corner.</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width (may reach past the image edge for some detectors).</param>
/// <param name="Height">Height.</param>
public readonly record struct BoundingBox(double X, double Y, double Width, double Height)
{
    /// <summary>Right edge.</summary>
    public double Right => X + Width;

    /// <summary>Bottom edge.</summary>
    public double Bottom => Y + Height;

    /// <summary>Area in square pixels (0 for degenerate boxes).</summary>
    public double Area => Math.Max(0, Width) * Math.Max(0, Height);

    /// <summary>Center point.</summary>
    public Point2 Center => new(X + Width / 2, Y + Height / 2);

    /// <summary>Intersection over union with another box (0 when either is empty).</summary>
    public double IoU(BoundingBox other)
    {
        var iw = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        var ih = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (iw <= 0 || ih <= 0) return 0;
        var inter = iw * ih;
        return inter / (Area + other.Area - inter);
    }

    /// <summary>True when the point lies inside the box.</summary>
    public bool Contains(Point2 p) => p.X >= X && p.X <= Right && p.Y >= Y && p.Y <= Bottom;

    /// <summary>The box moved by (dx, dy).</summary>
    public BoundingBox Offset(double dx, double dy) => this with { X = X + dx, Y = Y + dy };

    /// <summary>The box moved by (dx, dy), then scaled by <paramref name="scale"/>: <c>(p + d) * scale</c>.</summary>
    public BoundingBox Map(double dx, double dy, double scale) => new((X + dx) * scale, (Y + dy) * scale, Width * scale, Height * scale);
}

/// <summary>A point in image pixels.</summary>
public readonly record struct Point2(double X, double Y)
{
    /// <summary>Euclidean distance to another point.</summary>
    public double DistanceTo(Point2 o) => Math.Sqrt((X - o.X) * (X - o.X) + (Y - o.Y) * (Y - o.Y));
}
