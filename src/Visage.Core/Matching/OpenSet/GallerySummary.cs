using System.Numerics.Tensors;

namespace Visage.Matching.OpenSet;

/// <summary>
/// What <see cref="OpenSetRule"/> needs to know about everything enrolled, kept up to date in O(dimensions) per face
/// added or removed: per person the face count, the sum of the vectors and of their squared norms (so the centroid
/// and the spread); for the gallery the sums that give the mean squared distance of every enrolled face to every other
/// person's centroid without visiting any pair (see <see cref="Statistics"/>). Sums are kept in double so long runs of
/// adds and removes do not drift. Not thread-safe: the index that owns it updates it under its write lock and reads
/// it under its read lock.
/// </summary>
/// <param name="dimensions">Length of the descriptors (128 for the default model).</param>
public sealed class GallerySummary(int dimensions)
{
    private readonly Dictionary<long, PersonSums> _persons = [];
    private readonly double[] _faceSum = new double[dimensions];     // S1 = sum of all vectors
    private readonly double[] _centroidSum = new double[dimensions]; // C = sum over persons of their centroid
    private double _faceSquares;       // S2 = sum of squared norms of all vectors
    private double _centroidSquares;   // Q = sum over persons of |centroid|²
    private double _weightedSquares;   // R = sum over persons of faces * |centroid|²
    private double _inverseFaces;      // H = sum over persons of 1 / faces

    /// <summary>Length of the descriptors.</summary>
    public int Dimensions { get; } = dimensions;

    /// <summary>Persons with at least one face.</summary>
    public int PersonCount => _persons.Count;

    /// <summary>Faces enrolled.</summary>
    public int FaceCount { get; private set; }

    /// <summary>A summary of the given faces.</summary>
    /// <exception cref="ArgumentException">A vector's length differs from the first one's.</exception>
    public static GallerySummary Of(IEnumerable<(long PersonId, float[] Vector)> faces)
    {
        GallerySummary? summary = null;
        foreach (var (person, vector) in faces)
        {
            summary ??= new GallerySummary(vector.Length);
            summary.Add(person, vector);
        }
        return summary ?? new GallerySummary(Faces.FaceEmbedding.Dimensions);
    }

    /// <summary>Counts one more face of a person (the person is created on their first face).</summary>
    /// <exception cref="ArgumentException">The vector's length is not <see cref="Dimensions"/>.</exception>
    public void Add(long personId, ReadOnlySpan<float> vector) => Change(personId, vector, +1);

    /// <summary>Forgets one face of a person (the person goes with their last face).</summary>
    /// <exception cref="KeyNotFoundException">The person has no face here.</exception>
    /// <exception cref="ArgumentException">The vector's length is not <see cref="Dimensions"/>.</exception>
    public void Remove(long personId, ReadOnlySpan<float> vector)
    {
        if (!_persons.ContainsKey(personId)) throw new KeyNotFoundException($"person {personId} has no face in the summary");
        Change(personId, vector, -1);
    }

    /// <summary>The faces enrolled for a person (0 when none).</summary>
    public int FacesOf(long personId) => _persons.TryGetValue(personId, out var p) ? p.Count : 0;

    /// <summary>Mean squared distance of a person's faces to their centroid (0 for one face or an unknown person).</summary>
    public double SpreadOf(long personId) => _persons.TryGetValue(personId, out var p) ? p.Spread : 0;

    /// <summary>Writes a person's centroid (mean descriptor) into <paramref name="destination"/>; false when the person has no face.</summary>
    public bool CentroidOf(long personId, Span<float> destination)
    {
        if (!_persons.TryGetValue(personId, out var p)) return false;
        for (var i = 0; i < Dimensions; i++) destination[i] = (float)(p.Sum[i] / p.Count);
        return true;
    }

    /// <summary>The rule's input for a person the search found at <paramref name="distance"/> from the probe (Euclidean, to the centroid).</summary>
    /// <exception cref="KeyNotFoundException">The person has no face here.</exception>
    public PersonCandidate Candidate(long personId, float distance)
    {
        if (!_persons.TryGetValue(personId, out var p)) throw new KeyNotFoundException($"person {personId} has no face in the summary");
        return new PersonCandidate(personId, distance, p.Count, (float)p.Spread);
    }

    /// <summary>
    /// The gallery-wide figures, in O(dimensions): over every pair (enrolled face x of person j, centroid c_k of another
    /// person k), the mean of |x - c_k|² and of 1/n_k. The total is
    /// <c>(G - 1) S2 - 2 C·S1 + R + N Q</c> over <c>N (G - 1)</c> pairs, with the sums named in the fields.
    /// </summary>
    public GalleryStatistics Statistics
    {
        get
        {
            int g = PersonCount, n = FaceCount;
            if (g < 2) return new GalleryStatistics(g, n, double.NaN, double.NaN);
            double dot = 0;
            for (var i = 0; i < Dimensions; i++) dot += _centroidSum[i] * _faceSum[i];
            var pairs = (double)n * (g - 1);
            var total = (g - 1) * _faceSquares - 2 * dot + _weightedSquares + n * _centroidSquares;
            return new GalleryStatistics(g, n, total / pairs, (n * _inverseFaces - g) / pairs);
        }
    }

    private void Change(long personId, ReadOnlySpan<float> vector, int sign)
    {
        if (vector.Length != Dimensions) throw new ArgumentException($"vector of length {vector.Length}, expected {Dimensions}");
        if (!_persons.TryGetValue(personId, out var p)) _persons[personId] = p = new PersonSums(Dimensions);
        else Contribute(p, -1);
        var squares = (double)TensorPrimitives.Dot(vector, vector);
        for (var i = 0; i < Dimensions; i++)
        {
            p.Sum[i] += sign * vector[i];
            _faceSum[i] += sign * vector[i];
        }
        p.Squares += sign * squares;
        _faceSquares += sign * squares;
        p.Count += sign;
        FaceCount += sign;
        if (p.Count == 0) _persons.Remove(personId);
        else Contribute(p, +1);
    }

    /// <summary>Adds (+1) or takes back (-1) a person's share of the centroid sums.</summary>
    private void Contribute(PersonSums p, int sign)
    {
        double squares = 0;
        for (var i = 0; i < Dimensions; i++)
        {
            var c = p.Sum[i] / p.Count;
            _centroidSum[i] += sign * c;
            squares += c * c;
        }
        _centroidSquares += sign * squares;
        _weightedSquares += sign * p.Count * squares;
        _inverseFaces += sign / (double)p.Count;
    }

    private sealed class PersonSums(int dimensions)
    {
        public readonly double[] Sum = new double[dimensions];
        public double Squares;
        public int Count;

        /// <summary>Mean squared distance to the centroid: mean |x|² - |mean x|² (clamped at 0 against rounding).</summary>
        public double Spread
        {
            get
            {
                double c2 = 0;
                foreach (var s in Sum) c2 += s / Count * (s / Count);
                return Math.Max(0, Squares / Count - c2);
            }
        }
    }
}

/// <summary>Gallery-wide figures for <see cref="OpenSetRule"/>, from <see cref="GallerySummary.Statistics"/>.</summary>
/// <param name="PersonCount">Persons enrolled (G).</param>
/// <param name="FaceCount">Faces enrolled (N).</param>
/// <param name="BetweenPersonMeanSquaredDistance">Mean of |x - c_k|² over every enrolled face x and every other person's centroid c_k: a free sample of how far strangers fall; NaN with fewer than two persons.</param>
/// <param name="BetweenPersonMeanInverseFaces">Mean of 1/n_k over the same pairs (to take the centroids' own scatter out); NaN with fewer than two persons.</param>
public sealed record GalleryStatistics(int PersonCount, int FaceCount, double BetweenPersonMeanSquaredDistance, double BetweenPersonMeanInverseFaces)
{
    /// <summary>Pairs of distinct persons, G (G - 1) / 2: how much the between-person sample weighs against the calibration.</summary>
    public double PersonPairs => PersonCount * (PersonCount - 1) / 2.0;
}
