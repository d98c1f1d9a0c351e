namespace Visage.Faces;

/// <summary>
/// A rotation, uniform scale and translation of the plane: <c>p' = [a -b; b a] p + t</c>.
/// </summary>
/// <param name="A">scale * cos(angle).</param>
/// <param name="B">scale * sin(angle).</param>
/// <param name="Tx">Translation x.</param>
/// <param name="Ty">Translation y.</param>
public readonly record struct SimilarityTransform(double A, double B, double Tx, double Ty)
{
    /// <summary>The scale factor.</summary>
    public double Scale => Math.Sqrt(A * A + B * B);

    /// <summary>Maps a point.</summary>
    public Point2 Apply(Point2 p) => new(A * p.X - B * p.Y + Tx, B * p.X + A * p.Y + Ty);

    /// <summary>
    /// The least-squares similarity transform taking <paramref name="from"/> onto <paramref name="to"/>
    /// (Umeyama's solution without reflection, as dlib's <c>find_similarity_transform</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two points, unequal counts, or all source points equal.</exception>
    public static SimilarityTransform Fit(IReadOnlyList<Point2> from, IReadOnlyList<Point2> to)
    {
        if (from.Count != to.Count || from.Count < 2) throw new ArgumentException("need two or more point pairs");
        double fx = 0, fy = 0, tx = 0, ty = 0;
        for (var i = 0; i < from.Count; i++) { fx += from[i].X; fy += from[i].Y; tx += to[i].X; ty += to[i].Y; }
        fx /= from.Count; fy /= from.Count; tx /= to.Count; ty /= to.Count;
        // As complex numbers: (a + ib) = sum(conj(f) * t) / sum(|f|^2) over centered points.
        double re = 0, im = 0, norm = 0;
        for (var i = 0; i < from.Count; i++)
        {
            double ux = from[i].X - fx, uy = from[i].Y - fy, vx = to[i].X - tx, vy = to[i].Y - ty;
            re += ux * vx + uy * vy;
            im += ux * vy - uy * vx;
            norm += ux * ux + uy * uy;
        }
        if (norm == 0) throw new ArgumentException("source points are all the same");
        double a = re / norm, b = im / norm;
        return new SimilarityTransform(a, b, tx - (a * fx - b * fy), ty - (b * fx + a * fy));
    }
}
