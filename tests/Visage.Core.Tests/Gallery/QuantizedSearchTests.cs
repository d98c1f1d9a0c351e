using Visage.Gallery.Search;
using Visage.Gallery;
using Visage.Matching;

namespace Visage.Tests.Gallery;

/// <summary>
/// The 8-bit first pass with exact re-rank answers exactly what a plain float32 brute-force scan answers (same ids,
/// same distances, same order, recall 1.0), with every dot-product kernel the CPU at hand runs, one query or a batch, one
/// thread or two. A kernel this CPU cannot run is checked the other way: the dispatcher never picks it and refuses it.
/// </summary>
public sealed class QuantizedSearchTests
{
    public static TheoryData<ScanKernel> Kernels => [.. Enum.GetValues<ScanKernel>()];

    /// <summary>Clustered like real descriptors: persons with a few faces each around a center, norms near 1.4.</summary>
    private static List<(long Face, float[] V)> Clustered(int faces, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<(long, float[])>(faces);
        float[] center = [];
        for (var i = 0; i < faces; i++)
        {
            if (i % 5 == 0) center = Gaussian(rng, 0.125f);
            var noise = Gaussian(rng, 0.03f);
            rows.Add((10 + i, center.Zip(noise, (c, n) => c + n).ToArray()));
        }
        return rows;
    }

    private static float[] Gaussian(Random rng, float sigma) =>
        Enumerable.Range(0, 128).Select(_ => (float)(sigma * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()))).ToArray();

    private static GalleryIndex Build(IEnumerable<(long Face, float[] V)> rows)
    {
        var index = new GalleryIndex(Vectors.Model);
        foreach (var (face, v) in rows) index.Add(face, face / 5, "p", v);
        return index;
    }

    private static (long Id, float D)[] BruteForce(IEnumerable<(long Face, float[] V)> rows, float[] q, int k) =>
        rows.Select(r => (r.Face, D: NaNLast(FaceDistance.Euclidean(q, r.V)))).OrderBy(r => r.D).ThenBy(r => r.Face).Take(k).ToArray();

    private static float NaNLast(float d) => float.IsNaN(d) ? float.PositiveInfinity : d;

    private static (long Id, float D)[] Answer(IEnumerable<Neighbor> found) => found.Select(n => (n.FaceId, n.Distance)).ToArray();

    private static (long Id, float D)[] Nearest(GalleryIndex index, float[] q, int k)
    {
        var found = new Neighbor[k];
        return Answer(found.Take(index.Nearest(q, DistanceMetric.Euclidean, found)));
    }

    /// <summary>Runs <paramref name="test"/> with <paramref name="kernel"/> where the CPU has it; elsewhere checks that it is never chosen.</summary>
    private static void WithKernel(ScanKernel kernel, Action test) => KernelTesting.With(ScanKernels.Choice, kernel, test);

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Nearest_equals_brute_force_on_clustered_faces(ScanKernel kernel) => WithKernel(kernel, () =>
    {
        var rows = Clustered(20_000, 1);
        using var index = Build(rows);
        var rng = new Random(2);
        // Queries: new faces of known persons, strangers, and stored faces themselves (distance 0).
        var queries = Enumerable.Range(0, 8).Select(i => rows[rng.Next(rows.Count)].V.Select(x => x + 0.03f * (float)(rng.NextDouble() - 0.5)).ToArray())
            .Concat(Enumerable.Range(0, 4).Select(_ => Gaussian(rng, 0.125f)))
            .Concat([rows[123].V, rows[19_999].V]);
        foreach (var q in queries)
            foreach (var k in new[] { 1, 10, 100 })
                Assert.Equal(BruteForce(rows, q, k), Nearest(index, q, k));
    });

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Batches_on_one_or_two_threads_equal_brute_force(ScanKernel kernel) => WithKernel(kernel, () =>
    {
        var rows = Clustered(12_000, 3);
        using var index = Build(rows);
        var rng = new Random(4);
        var queries = Enumerable.Range(0, 9).Select(_ => rows[rng.Next(rows.Count)].V.Select(x => x + 0.05f * (float)(rng.NextDouble() - 0.5)).ToArray()).ToArray();
        foreach (var threads in new[] { 1, 2 })
        {
            var answers = index.NearestMany(queries, 10, threads);
            for (var i = 0; i < queries.Length; i++) Assert.Equal(BruteForce(rows, queries[i], 10), Answer(answers[i]));
        }
    });

    [Fact]
    public void Equal_distances_are_ordered_by_face_id_as_brute_force_orders_them()
    {
        // 3,000 copies of four vectors: every distance is tied hundreds of times.
        var rng = new Random(5);
        var four = Enumerable.Range(0, 4).Select(_ => Gaussian(rng, 0.125f)).ToArray();
        var rows = Enumerable.Range(0, 3000).Select(i => (Face: (long)(7919 * i % 3001), V: four[i % 4])).ToList();
        using var index = Build(rows);
        foreach (var q in four.Append(Gaussian(rng, 0.125f)))
        {
            Assert.Equal(BruteForce(rows, q, 25), Nearest(index, q, 25));
            Assert.Equal(BruteForce(rows, q, 25), Answer(index.NearestMany([q], 25, 2)[0]));
        }
    }

    [Fact]
    public void Rows_and_queries_with_non_finite_values_still_get_the_brute_force_answer()
    {
        var rows = Clustered(5000, 6);
        rows[17] = (rows[17].Face, rows[17].V.Select((x, i) => i == 3 ? float.NaN : x).ToArray());
        rows[18] = (rows[18].Face, rows[18].V.Select((x, i) => i == 9 ? float.PositiveInfinity : x).ToArray());
        rows[19] = (rows[19].Face, new float[128]);
        using var index = Build(rows);
        var nanQuery = rows[20].V.Select((x, i) => i == 0 ? float.NaN : x).ToArray();
        foreach (var q in new[] { rows[21].V, new float[128], nanQuery })
        {
            Assert.Equal(BruteForce(rows, q, 10), Nearest(index, q, 10));
            Assert.Equal(BruteForce(rows, q, 10), Answer(index.NearestMany([q], 10)[0]));
        }
    }

    [Fact]
    public void After_removals_and_re_adds_the_codes_stay_in_step_with_the_rows()
    {
        var rows = Clustered(9000, 8);
        using var index = Build(rows);
        var rng = new Random(9);
        foreach (var r in rows.Where((_, i) => i % 3 == 1).ToList())
        {
            Assert.True(index.Remove(r.Face));
            rows.Remove(r);
        }
        var added = Clustered(500, 10).Select(r => (Face: r.Face + 1_000_000, r.V)).ToList();
        foreach (var (face, v) in added) index.Add(face, 1, "p", v);
        rows.AddRange(added);
        for (var i = 0; i < 10; i++)
        {
            var q = rows[rng.Next(rows.Count)].V.Select(x => x + 0.02f).ToArray();
            Assert.Equal(BruteForce(rows, q, 10), Nearest(index, q, 10));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2047)]
    [InlineData(2048)]
    public void Small_galleries_and_k_above_the_count_return_every_face(int faces)
    {
        var rows = Clustered(faces, 11);
        using var index = Build(rows);
        var q = rows[0].V;
        Assert.Equal(BruteForce(rows, q, faces + 5), Nearest(index, q, faces + 5));
        Assert.Equal(BruteForce(rows, q, faces + 5), Answer(index.NearestMany([q], faces + 5, 2)[0]));
    }
}
