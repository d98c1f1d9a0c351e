namespace Visage.Matching;

/// <summary>
/// Distances on CompreFace's similarity scale, for the clients that read a similarity (CompreFace, DeepStack, Frigate's
/// sub label score): similarity = (tanh((threshold − distance) · slope) + 1) / 2, CompreFace's own form
/// (<c>EuclideanDistanceClassifier</c>, coefficients per model), with the midpoint at the decision threshold so that
/// 0.5 means exactly "at the threshold", above it accepted. The slope is fitted to Visage's distances
/// (<see cref="Fit"/>; docs/ACCURACY.md): 1 − similarity is then about the chance that a pair at that distance is of two
/// different people, on a set with as many same-person as different-person pairs.
/// </summary>
public static class SimilarityScale
{
    /// <summary>
    /// The slope fitted by <see cref="Fit"/> on the 880 pairs of ../shared/data/faces with the midpoint at 0.48
    /// (<c>visage eval ../shared/data/faces</c>, docs/ACCURACY.md). CompreFace's FaceNet uses 5.29 on its own distances.
    /// </summary>
    public const float DefaultSlope = 10.65f;

    /// <summary>The similarity of a distance, 0..1; 0.5 at <paramref name="threshold"/>, 0 for an infinite distance (empty gallery).</summary>
    public static float Of(float distance, float threshold, float slope = DefaultSlope) =>
        float.IsFinite(distance) ? (MathF.Tanh((threshold - distance) * slope) + 1) / 2 : 0;

    /// <summary>One band of distances: how many same- and different-person pairs fell in it, and the similarity the scale gives its middle.</summary>
    /// <param name="From">The band's lower distance (inclusive).</param>
    /// <param name="To">Its upper distance (exclusive).</param>
    /// <param name="Same">Same-person pairs in it.</param>
    /// <param name="Different">Different-person pairs in it.</param>
    /// <param name="Similarity">The similarity at the band's middle.</param>
    public readonly record struct Band(float From, float To, int Same, int Different, float Similarity)
    {
        /// <summary>The share of same-person pairs observed in the band (NaN when empty): what the similarity should be near.</summary>
        public double SameShare => Same + Different == 0 ? double.NaN : Same / (double)(Same + Different);
    }

    /// <summary>The pairs counted in bands between <paramref name="edges"/>, beside the scale's similarity: the data behind a fit, to print.</summary>
    public static IReadOnlyList<Band> Bands(ReadOnlySpan<float> same, ReadOnlySpan<float> different, float midpoint, float slope, ReadOnlySpan<float> edges)
    {
        var bands = new List<Band>();
        for (var i = 0; i + 1 < edges.Length; i++)
        {
            var (from, to) = (edges[i], edges[i + 1]);
            int Count(ReadOnlySpan<float> distances)
            {
                var n = 0;
                foreach (var d in distances) if (d >= from && d < to) n++;
                return n;
            }
            bands.Add(new Band(from, to, Count(same), Count(different), Of((from + to) / 2, midpoint, slope)));
        }
        return bands;
    }

    /// <summary>
    /// The slope of maximum likelihood for pairs with known answers, the midpoint held at <paramref name="midpoint"/>:
    /// the logistic model P(same | d) = σ(2 · slope · (midpoint − d)), fitted by Newton's method (the likelihood is
    /// concave in the slope).
    /// </summary>
    /// <exception cref="ArgumentException">One of the two sets is empty.</exception>
    public static double Fit(ReadOnlySpan<float> same, ReadOnlySpan<float> different, float midpoint)
    {
        if (same.IsEmpty || different.IsEmpty) throw new ArgumentException("both same-person and different-person distances are needed");
        var b = 1.0; // 2 · slope
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double gradient = 0, curvature = 0;
            Accumulate(same, 1);
            Accumulate(different, 0);
            var step = gradient / curvature;
            b += step;
            if (Math.Abs(step) < 1e-9 * Math.Max(1, Math.Abs(b))) break;

            void Accumulate(ReadOnlySpan<float> distances, int label)
            {
                foreach (var d in distances)
                {
                    var x = midpoint - (double)d;
                    var p = 1 / (1 + Math.Exp(-b * x));
                    gradient += x * (label - p);
                    curvature += x * x * p * (1 - p);
                }
            }
        }
        return b / 2;
    }
}
