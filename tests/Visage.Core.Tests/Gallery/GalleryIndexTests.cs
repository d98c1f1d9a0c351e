using Visage.Gallery.Search;
using Visage.Gallery;
using Visage.Matching;
using Visage.Recognition;
using static Visage.Tests.Vectors;

namespace Visage.Tests.Gallery;

public class GalleryIndexTests
{
    private const int Faces = 5000;

    /// <summary>5,000 seeded random faces of 300 persons; face id = 1000 + row.</summary>
    private static (GalleryIndex Index, List<(long Face, long Person, float[] V)> Rows) RandomIndex(int seed)
    {
        var rng = new Random(seed);
        var index = new GalleryIndex(Model, initialCapacity: 4); // small, so growth by doubling is exercised
        var rows = new List<(long, long, float[])>();
        for (var i = 0; i < Faces; i++)
        {
            var v = Vectors.Random(rng);
            long person = rng.Next(300);
            index.Add(1000 + i, person, $"p{person}", v);
            rows.Add((1000 + i, person, v));
        }
        return (index, rows);
    }

    private static long[] BruteForce(List<(long Face, long Person, float[] V)> rows, float[] q, DistanceMetric metric, int k) =>
        rows.Select(r => (r.Face, D: FaceDistance.Compute(metric, q, r.V)))
            .OrderBy(r => r.D).ThenBy(r => r.Face).Take(k).Select(r => r.Face).ToArray();

    private static long[] TopK(GalleryIndex index, float[] q, DistanceMetric metric, int k)
    {
        var found = new Neighbor[k];
        var n = index.Nearest(q, metric, found);
        return found.Take(n).Select(f => f.FaceId).ToArray();
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void TopK_EqualsBruteForce_OnRandomData_AndAfterRemovals(DistanceMetric metric)
    {
        var (index, rows) = RandomIndex(7);
        using var _ = index;
        var rng = new Random(8);
        var queries = Enumerable.Range(0, 10).Select(_ => Vectors.Random(rng)).ToArray();
        foreach (var q in queries)
            foreach (var k in new[] { 1, 5, 37, 100 })
                Assert.Equal(BruteForce(rows, q, metric, k), TopK(index, q, metric, k));

        // Remove a third of the faces (single faces and two whole persons), then compare again.
        foreach (var r in rows.Where((_, i) => i % 3 == 0).ToList())
        {
            Assert.True(index.Remove(r.Face));
            rows.Remove(r);
        }
        Assert.Equal(rows.Count(r => r.Person is 5 or 6), index.RemovePerson(5) + index.RemovePerson(6));
        rows.RemoveAll(r => r.Person is 5 or 6);
        Assert.Equal(rows.Count, index.Count);
        foreach (var q in queries)
            foreach (var k in new[] { 1, 5, 100 })
                Assert.Equal(BruteForce(rows, q, metric, k), TopK(index, q, metric, k));
    }

    [Fact]
    public void TopK_WithMoreSlotsThanFaces_ReturnsEveryFace()
    {
        using var index = new GalleryIndex(Model);
        index.Add(1, 1, "a", At(1, 0));
        index.Add(2, 1, "a", At(0, 0));
        var found = new Neighbor[5];
        Assert.Equal(2, index.Nearest(At(0, 0), DistanceMetric.Euclidean, found));
        Assert.Equal([2L, 1L], found.Take(2).Select(n => n.FaceId));
    }

    [Fact]
    public void Centroids_StayTheMeanOfEachPersonsFaces_ThroughAddsAndRemoves()
    {
        var (index, rows) = RandomIndex(9);
        using var _ = index;
        foreach (var r in rows.Where((_, i) => i % 4 == 1).ToList())
        {
            index.Remove(r.Face);
            rows.Remove(r);
        }
        foreach (var group in rows.GroupBy(r => r.Person))
        {
            var mean = new double[128];
            foreach (var r in group) for (var i = 0; i < 128; i++) mean[i] += r.V[i];
            var centroid = index.CentroidOf(group.Key)!;
            for (var i = 0; i < 128; i++) Assert.Equal(mean[i] / group.Count(), centroid[i], 1e-5);
        }
        Assert.Equal(rows.Select(r => r.Person).Distinct().Count(), index.PersonCount);
    }

    [Fact]
    public void Centroid_Match_EqualsBruteForceOverMeans()
    {
        var (index, rows) = RandomIndex(10);
        using var _ = index;
        var means = rows.GroupBy(r => r.Person).Select(g =>
        {
            var m = new double[128];
            foreach (var r in g) for (var i = 0; i < 128; i++) m[i] += r.V[i];
            return (Person: g.Key, Mean: m.Select(x => (float)(x / g.Count())).ToArray());
        }).ToList();
        var rng = new Random(11);
        for (var n = 0; n < 20; n++)
        {
            var q = Vectors.Random(rng);
            var best = means.OrderBy(m => FaceDistance.Euclidean(q, m.Mean)).ThenBy(m => m.Person).First();
            var match = Recognizer.Identify(index, q, new MatchingOptions { Mode = MatchMode.Centroid, Threshold = 100 });
            Assert.Equal(best.Person, match.PersonId);
        }
    }

    [Fact]
    public void RemovingEveryFace_OfAPerson_DropsThePerson()
    {
        using var index = new GalleryIndex(Model);
        index.Add(1, 7, "Ann", At(0, 0));
        index.Add(2, 7, "Ann", At(1, 0));
        Assert.True(index.Remove(1));
        Assert.False(index.Remove(1));
        Assert.Equal(1, index.PersonCount);
        Assert.True(index.Remove(2));
        Assert.Equal(0, index.PersonCount);
        Assert.Null(index.CentroidOf(7));
        Assert.False(Recognizer.Identify(index, At(0, 0)).IsKnown);
    }

    [Fact]
    public void Rename_ChangesTheAnsweredName()
    {
        using var index = new GalleryIndex(Model);
        index.Add(1, 7, "Ann", At(0, 0));
        index.RenamePerson(7, "Anne");
        Assert.Equal("Anne", Recognizer.Identify(index, At(0, 0)).Name);
    }

    [Fact]
    public void Add_RejectsADuplicateFaceId_AndAWrongLength()
    {
        using var index = new GalleryIndex(Model);
        index.Add(1, 7, "Ann", At(0, 0));
        Assert.Throws<ArgumentException>(() => index.Add(1, 7, "Ann", At(0, 0)));
        Assert.Throws<ArgumentException>(() => index.Add(2, 7, "Ann", new float[127]));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public async Task ManyReaders_AndOneWriter_RunTogether_WithoutTornAnswers()
    {
        using var index = new GalleryIndex(Model);
        // Person 1 sits at the origin for the whole test; the writer churns other persons far away.
        index.Add(1, 1, "Anchor", At(0, 0));
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var writer = Task.Run(() =>
        {
            var rng = new Random(12);
            for (long id = 2; !stop.IsCancellationRequested; id++)
            {
                index.Add(id, 2 + id % 50, "x", At(10 + (float)rng.NextDouble(), 10));
                if (id % 3 == 0) index.Remove(id - 1);
            }
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            var answers = 0;
            while (!stop.IsCancellationRequested)
            {
                var m = Recognizer.Identify(index, At(0.1f, 0), new MatchingOptions { Mode = (MatchMode)(answers++ % 3) });
                Assert.Equal("Anchor", m.Name);
            }
        })).ToArray();
        await Task.WhenAll([writer, .. readers]);
    }
}
