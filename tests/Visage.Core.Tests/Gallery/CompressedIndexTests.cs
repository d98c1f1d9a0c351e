using Visage.Cli.Bench;
using Visage.Gallery.Search;
using Visage.Matching;
using Visage.Recognition;

namespace Visage.Tests.Gallery;

/// <summary>
/// The compressed index (4-bit codes in inverted lists, float32 rows in a file) on seeded synthetic
/// galleries shaped like the bench's: its recall against the exact scan, its answers through adds, removes and re-adds,
/// and every decision rule on top of it. Sizes stay small: timings and the 10M-face figures live in the bench.
/// </summary>
public sealed class CompressedIndexTests : IDisposable
{
    private const int Faces = 20_000;
    private readonly TempGallery _temp = new();

    public void Dispose() => _temp.Dispose();

    private static IEnumerable<(long Face, long Person, float[] V)> Synthetic(int faces, int seed, long firstFace = 0)
    {
        var synth = new SyntheticFaces(seed);
        for (long f = firstFace; f < firstFace + faces; f++)
        {
            var v = new float[128];
            synth.Face(f, v);
            yield return (f, f / synth.FacesPerPerson, v);
        }
    }

    private GalleryIndex Build(IReadOnlyList<(long Face, long Person, float[] V)> rows, GalleryIndexOptions? options = null) =>
        GalleryIndex.BuildCompressed(Vectors.Model, _temp.File("index"), options ?? GalleryIndexOptions.Default,
            visit => { foreach (var (face, person, v) in rows) visit(face, person, $"p{person}", v); }, rows.Count);

    private static GalleryIndex Exact(IReadOnlyList<(long Face, long Person, float[] V)> rows)
    {
        var index = new GalleryIndex(Vectors.Model, rows.Count);
        foreach (var (face, person, v) in rows) index.Add(face, person, $"p{person}", v);
        return index;
    }

    private static long[] BruteForce(IEnumerable<(long Face, long Person, float[] V)> rows, float[] q, int k) =>
        rows.Select(r => (r.Face, D: FaceDistance.Euclidean(q, r.V))).OrderBy(r => r.D).ThenBy(r => r.Face).Take(k).Select(r => r.Face).ToArray();

    private static long[] TopK(GalleryIndex index, float[] q, int k, DistanceMetric metric = DistanceMetric.Euclidean)
    {
        var found = new Neighbor[k];
        return found.Take(index.Nearest(q, metric, found)).Select(n => n.FaceId).ToArray();
    }

    [Fact]
    public void Recall_at_10_against_the_exact_scan_is_at_least_0_99_on_a_synthetic_gallery()
    {
        var rows = Synthetic(Faces, seed: 3).ToList();
        using var index = Build(rows);
        Assert.True(index.IsCompressed);
        Assert.Equal(Faces, index.Count);
        var synth = new SyntheticFaces(3);
        var rng = new Random(4);
        double found = 0;
        const int Queries = 200;
        for (var i = 0; i < Queries; i++)
        {
            var q = synth.Query(rng.Next(Faces / synth.FacesPerPerson), i);
            found += TopK(index, q, 10).Intersect(BruteForce(rows, q, 10)).Count();
        }
        var recall = found / (10.0 * Queries);
        Assert.True(recall >= 0.99, $"recall@10 {recall:0.0000}");
    }

    [Fact]
    public void Adds_removes_and_re_adds_keep_every_face_findable_and_removed_faces_gone_from_answers_and_file()
    {
        var rows = Synthetic(5000, seed: 5).ToList();
        using var index = Build(rows);
        var extra = Synthetic(1000, seed: 5, firstFace: 5000).ToList();
        foreach (var (face, person, v) in extra) index.Add(face, person, $"p{person}", v);
        var removed = rows.Where((_, i) => i % 4 == 0).Concat(extra.Where((_, i) => i % 3 == 0)).ToList();
        foreach (var r in removed) Assert.True(index.Remove(r.Face));
        Assert.False(index.Remove(removed[0].Face));
        var live = rows.Concat(extra).Except(removed).ToList();
        Assert.Equal(live.Count, index.Count);
        foreach (var r in live.Where((_, i) => i % 7 == 0))
        {
            Assert.Equal(r.Face, TopK(index, r.V, 1)[0]); // a stored face is its own nearest neighbour, at distance 0
            Assert.Equal(r.V, index.VectorOf(r.Face));
        }
        foreach (var r in removed.Take(200)) Assert.DoesNotContain(r.Face, TopK(index, r.V, 10));

        // The removed descriptors' bytes are gone from the file, not just unlinked.
        var file = TempGallery.ReadShared(Path.Combine(index.Directory!, "faces.f32"));
        foreach (var r in removed.Take(50))
            Assert.Equal(-1, file.AsSpan().IndexOf(System.Runtime.InteropServices.MemoryMarshal.AsBytes(r.V.AsSpan())));

        // Re-adding a removed face (same id) makes it findable again.
        foreach (var r in removed.Take(100)) index.Add(r.Face, r.Person, $"p{r.Person}", r.V);
        foreach (var r in removed.Take(100)) Assert.Equal(r.Face, TopK(index, r.V, 1)[0]);
        Assert.Equal(live.Count + 100, index.Count);
    }

    [Fact]
    public void Persons_means_and_distances_come_from_their_faces_through_adds_and_removes()
    {
        var rows = Synthetic(3000, seed: 6).ToList();
        using var index = Build(rows);
        Assert.NotNull(index.NearestPerson(rows[0].V, DistanceMetric.Euclidean)); // builds the means
        foreach (var r in rows.Where((_, i) => i % 5 == 0).ToList())
        {
            Assert.True(index.Remove(r.Face));
            rows.Remove(r);
        }
        Assert.Equal(rows.Count(r => r.Person is 7 or 8 or 9), index.RemovePerson(7) + index.RemovePerson(8) + index.RemovePerson(9));
        rows.RemoveAll(r => r.Person is 7 or 8 or 9);
        Assert.Equal(rows.Select(r => r.Person).Distinct().Count(), index.PersonCount);
        foreach (var group in rows.GroupBy(r => r.Person).Where(g => g.Key % 13 == 0))
        {
            var mean = index.CentroidOf(group.Key)!;
            for (var i = 0; i < 128; i++) Assert.Equal(group.Average(r => (double)r.V[i]), mean[i], 1e-5);
            Assert.Equal(group.Min(r => FaceDistance.Euclidean(rows[0].V, r.V)), index.DistanceToPerson(group.Key, rows[0].V, DistanceMetric.Euclidean)!.Value.Distance);
        }
        Assert.Null(index.CentroidOf(8));
        Assert.Null(index.DistanceToPerson(8, rows[0].V, DistanceMetric.Euclidean));
    }

    [Fact]
    public void Every_decision_rule_answers_as_on_the_exact_index_for_known_faces_and_strangers()
    {
        var rows = Synthetic(Faces, seed: 8).ToList();
        using var compressed = Build(rows);
        using var exact = Exact(rows);
        var synth = new SyntheticFaces(8);
        var rng = new Random(9);
        // Half new photos of enrolled persons, half persons never enrolled.
        var queries = Enumerable.Range(0, 60).Select(i => synth.Query(i % 2 == 0 ? rng.Next(Faces / 10) : Faces / 10 + rng.Next(1000), i)).ToList();
        foreach (var mode in new[] { MatchMode.OpenSet, MatchMode.Nearest, MatchMode.Knn, MatchMode.Centroid })
        {
            var options = new MatchingOptions { Mode = mode };
            var names = queries.Select(q => Recognizer.Identify(compressed, q, options)).ToList();
            Assert.Equal(queries.Select(q => Recognizer.Identify(exact, q, options).Name), names.Select(m => m.Name));
            // The open-set bar is calibrated on real descriptors, not on these synthetic clusters: only agreement counts for it.
            if (mode != MatchMode.OpenSet) Assert.Equal(30, names.Count(m => m.IsKnown));
        }
    }

    [Fact]
    public void The_nearest_persons_by_mean_are_those_of_the_exact_index_and_of_a_brute_force_over_means()
    {
        var rows = Synthetic(Faces, seed: 10).ToList();
        using var compressed = Build(rows);
        using var exact = Exact(rows);
        var means = rows.GroupBy(r => r.Person).Select(g => (Person: g.Key, Mean: Enumerable.Range(0, 128).Select(i => (float)g.Average(r => (double)r.V[i])).ToArray())).ToList();
        var synth = new SyntheticFaces(10);
        var rng = new Random(11);
        for (var i = 0; i < 20; i++)
        {
            var q = synth.Query(rng.Next(Faces / 10), i);
            var expected = means.Select(m => (m.Person, D: FaceDistance.Euclidean(q, m.Mean))).OrderBy(m => m.D).ThenBy(m => m.Person).Take(5).Select(m => m.Person).ToArray();
            var fromExact = new PersonDistance[5];
            var fromCompressed = new PersonDistance[5];
            Assert.Equal(5, exact.NearestPersons(q, DistanceMetric.Euclidean, fromExact));
            Assert.Equal(5, compressed.NearestPersons(q, DistanceMetric.Euclidean, fromCompressed));
            Assert.Equal(expected, fromExact.Select(p => p.PersonId));
            Assert.Equal(expected[0], fromCompressed[0].PersonId);
            Assert.Equal($"p{expected[0]}", fromCompressed[0].PersonName);
        }
    }

    [Fact]
    public void The_open_set_figures_are_those_of_the_exact_index_and_come_back_after_a_save()
    {
        var rows = Synthetic(Faces, seed: 14).ToList();
        var directory = _temp.File("index");
        using var exact = Exact(rows);
        var q = new SyntheticFaces(14).Query(42, 0);
        var expected = exact.NearestPersons(q, 5);
        using (var built = Build(rows))
        {
            AssertSameFigures(expected, built.NearestPersons(q, 5));
            built.Save("stamp");
        }
        // Reopened, the summary is read again from the rows file.
        using var reopened = GalleryIndex.OpenCompressed(Vectors.Model, directory, GalleryIndexOptions.Default, out _);
        Assert.NotNull(reopened);
        AssertSameFigures(expected, reopened.NearestPersons(q, 5));
    }

    private static void AssertSameFigures(NearbyPersons expected, NearbyPersons actual)
    {
        Assert.Equal(expected.Statistics.PersonCount, actual.Statistics.PersonCount);
        Assert.Equal(expected.Statistics.FaceCount, actual.Statistics.FaceCount);
        Assert.Equal(expected.Statistics.BetweenPersonMeanSquaredDistance, actual.Statistics.BetweenPersonMeanSquaredDistance, 1e-6);
        Assert.Equal(expected.Statistics.BetweenPersonMeanInverseFaces, actual.Statistics.BetweenPersonMeanInverseFaces, 1e-9);
        // The nearest person found through the means' lists is the exact one; every candidate carries the exact figures.
        Assert.Equal(expected.Candidates[0].PersonId, actual.Candidates[0].PersonId);
        foreach (var c in actual.Candidates)
        {
            var match = expected.Candidates.Where(e => e.PersonId == c.PersonId).ToList();
            if (match.Count == 0) continue;
            Assert.Equal(match[0].FaceCount, c.FaceCount);
            Assert.Equal(match[0].Spread, c.Spread, 1e-4f);
            Assert.Equal(match[0].Distance, c.Distance, 1e-4f);
        }
        Assert.Equal(expected.Names[0], actual.Names[0]);
    }

    [Fact]
    public void Cosine_searches_and_non_finite_queries_scan_the_file_exactly()
    {
        var rows = Synthetic(4000, seed: 12).ToList();
        using var index = Build(rows);
        var q = new SyntheticFaces(12).Query(17, 0);
        Assert.Equal(
            rows.Select(r => (r.Face, D: FaceDistance.Cosine(q, r.V))).OrderBy(r => r.D).ThenBy(r => r.Face).Take(10).Select(r => r.Face),
            TopK(index, q, 10, DistanceMetric.Cosine));
        var broken = (float[])q.Clone();
        broken[3] = float.NaN;
        Assert.Equal(10, TopK(index, broken, 10).Length); // every distance is NaN: ranked last, by id, but still answered
    }

    [Fact]
    public void Many_queries_at_once_answer_as_one_at_a_time()
    {
        var rows = Synthetic(4000, seed: 13).ToList();
        using var index = Build(rows);
        var synth = new SyntheticFaces(13);
        var queries = Enumerable.Range(0, 16).Select(i => synth.Query(i * 7, i)).ToList();
        var batch = index.NearestMany(queries, 10, threads: 2);
        for (var i = 0; i < queries.Count; i++) Assert.Equal(TopK(index, queries[i], 10), batch[i].Select(n => n.FaceId));
    }
}
