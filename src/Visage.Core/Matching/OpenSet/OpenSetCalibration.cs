using System.Numerics.Tensors;

namespace Visage.Matching.OpenSet;

/// <summary>
/// Fits an <see cref="OpenSetModel"/> from labeled descriptors: enrolls each person in turn with n = 1, 2 and 3 of
/// their faces and measures every other person's faces against that centroid (strangers) and the person's remaining
/// faces (same person). Pure arithmetic, seeded.
/// </summary>
public static class OpenSetCalibration
{
    /// <summary>Random subsets of 2 and 3 faces drawn per person (every face is used alone for n = 1).</summary>
    public const int SubsetsPerPerson = 8;

    /// <summary>Fewest persons with at least two faces a fit accepts (the t shape needs nu = persons - 1 above 2).</summary>
    public const int MinimumPersons = 4;

    /// <summary>Fits the model.</summary>
    /// <param name="faces">Descriptors with their person; every person with at least one face takes part.</param>
    /// <param name="modelId">The descriptor model they come from.</param>
    /// <param name="seed">Seed of the subsets of 2 and 3 faces.</param>
    /// <exception cref="ArgumentException">Fewer than <see cref="MinimumPersons"/> persons have two faces, or vectors differ in length.</exception>
    public static OpenSetModel Fit(IReadOnlyList<(long PersonId, float[] Vector)> faces, string modelId, int seed = 1)
    {
        var persons = faces.GroupBy(f => f.PersonId).Select(g => g.Select(f => f.Vector).ToArray()).ToArray();
        if (persons.Count(p => p.Length >= 2) < MinimumPersons)
            throw new ArgumentException($"need at least {MinimumPersons} persons with two or more faces to fit the open-set model");
        var width = faces[0].Vector.Length;
        if (faces.Any(f => f.Vector.Length != width)) throw new ArgumentException("descriptors differ in length");

        var within = PooledWithinVariance(persons);
        var rng = new Random(seed);
        var strangers = new Moments[OpenSetModel.MaxModelledFaces];
        Moments genuine = default, crowding = default;
        var centroid = new float[width];
        foreach (var n in Enumerable.Range(1, OpenSetModel.MaxModelledFaces))
            for (var p = 0; p < persons.Length; p++)
                foreach (var subset in Subsets(persons[p].Length, n, rng))
                {
                    var spread = Centroid(persons[p], subset, centroid);
                    var w2 = OpenSetModel.PersonSpread(within, n, spread);
                    for (var i = 0; i < persons[p].Length; i++)
                        if (Array.IndexOf(subset, i) < 0)
                            genuine.Add(Distance(persons[p][i], centroid) / Math.Sqrt(w2 * (1 + 1.0 / n)));
                    for (var o = 0; o < persons.Length; o++)
                        if (o != p)
                            foreach (var x in persons[o])
                            {
                                var d2 = Square(Distance(x, centroid));
                                strangers[n - 1].Add(Math.Sqrt(Math.Max(0, d2 - w2 / n)));
                                crowding.Add(d2 - within / n);
                            }
                }

        return new OpenSetModel(
            within,
            strangers.Select(s => s.Mean).ToArray(),
            strangers.Select(s => s.Std).ToArray(),
            genuine.Mean, genuine.Std,
            DegreesOfFreedom: persons.Length - 1,
            StrangerMeanSquaredDistance: crowding.Mean,
            Persons: persons.Length,
            ModelId: modelId);
    }

    /// <summary>Sum over persons of squared distances to their centroid, over the sum of (faces - 1): unbiased for the mean squared distance to the true mean.</summary>
    private static double PooledWithinVariance(float[][][] persons)
    {
        double sum = 0;
        var degrees = 0;
        var centroid = new float[persons[0][0].Length];
        foreach (var faces in persons)
        {
            if (faces.Length < 2) continue;
            sum += faces.Length * Centroid(faces, [.. Enumerable.Range(0, faces.Length)], centroid);
            degrees += faces.Length - 1;
        }
        return sum / degrees;
    }

    /// <summary>Every single face for n = 1; otherwise up to <see cref="SubsetsPerPerson"/> random n-subsets, leaving at least one face out.</summary>
    private static IEnumerable<int[]> Subsets(int count, int n, Random rng)
    {
        if (count <= n) yield break;
        if (n == 1)
        {
            for (var i = 0; i < count; i++) yield return [i];
            yield break;
        }
        var order = Enumerable.Range(0, count).ToArray();
        for (var s = 0; s < SubsetsPerPerson; s++)
        {
            rng.Shuffle(order);
            yield return order[..n];
        }
    }

    /// <summary>Writes the mean of the chosen faces into <paramref name="centroid"/>; returns their mean squared distance to it.</summary>
    private static double Centroid(float[][] faces, int[] chosen, float[] centroid)
    {
        Array.Clear(centroid);
        foreach (var i in chosen) TensorPrimitives.Add(centroid, faces[i], centroid);
        TensorPrimitives.Divide(centroid, chosen.Length, centroid);
        double spread = 0;
        foreach (var i in chosen) spread += Square(Distance(faces[i], centroid));
        return spread / chosen.Length;
    }

    private static double Distance(float[] a, float[] b) => TensorPrimitives.Distance(a, b);

    private static double Square(double x) => x * x;

    /// <summary>Running mean and standard deviation (Welford).</summary>
    private struct Moments
    {
        private long _count;
        private double _mean, _m2;

        public void Add(double x)
        {
            _count++;
            var delta = x - _mean;
            _mean += delta / _count;
            _m2 += delta * (x - _mean);
        }

        public readonly double Mean => _mean;

        public readonly double Std => _count > 1 ? Math.Sqrt(_m2 / (_count - 1)) : 0;
    }
}
