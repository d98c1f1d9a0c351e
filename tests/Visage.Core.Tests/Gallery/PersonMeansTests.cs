using System.Numerics.Tensors;
using Visage.Gallery.Search;
using Visage.Matching.OpenSet;

namespace Visage.Tests.Gallery;

/// <summary>
/// The index keeps each person's mean and the open-set summary in step with every add and remove: the nearest persons
/// it reports (distance to the mean, face count, spread) and the gallery's figures are those of the faces it holds.
/// </summary>
public sealed class PersonMeansTests
{
    [Fact]
    public void Means_and_the_summary_follow_adds_and_removes_and_the_nearest_persons_are_the_nearest_means()
    {
        var rng = new Random(12);
        using var index = new GalleryIndex(Vectors.Model);
        var rows = new List<(long Face, long Person, float[] V)>();
        void Add(long face)
        {
            var v = Vectors.Random(rng);
            long person = rng.Next(40);
            index.Add(face, person, $"p{person}", v);
            rows.Add((face, person, v));
        }
        for (var f = 0; f < 900; f++) Add(f);
        foreach (var r in rows.Where((_, i) => i % 3 == 0).ToList())
        {
            Assert.True(index.Remove(r.Face));
            rows.Remove(r);
        }
        index.RemovePerson(7);
        rows.RemoveAll(r => r.Person == 7);

        Assert.Null(index.CentroidOf(7));
        Assert.Equal(rows.Select(r => r.Person).Distinct().Count(), index.PersonCount);
        var means = new Dictionary<long, float[]>();
        foreach (var group in rows.GroupBy(r => r.Person))
        {
            var centroid = index.CentroidOf(group.Key)!;
            for (var i = 0; i < 128; i++) Assert.Equal(group.Average(r => (double)r.V[i]), centroid[i], 1e-5);
            means[group.Key] = centroid;
        }

        var query = Vectors.Random(rng);
        var nearby = index.NearestPersons(query, 5);
        var expected = GallerySummary.Of(rows.Select(r => (r.Person, r.V)));
        Assert.Equal(means.OrderBy(m => TensorPrimitives.Distance(query, m.Value)).Take(5).Select(m => m.Key), nearby.Candidates.Select(c => c.PersonId));
        foreach (var (c, name) in nearby.Candidates.Zip(nearby.Names))
        {
            Assert.Equal($"p{c.PersonId}", name);
            Assert.Equal(expected.FacesOf(c.PersonId), c.FaceCount);
            Assert.Equal(TensorPrimitives.Distance(query, means[c.PersonId]), c.Distance, 1e-5f);
            Assert.Equal(expected.SpreadOf(c.PersonId), c.Spread, 1e-4);
        }
        Assert.Equal(expected.Statistics.PersonCount, nearby.Statistics.PersonCount);
        Assert.Equal(expected.Statistics.FaceCount, nearby.Statistics.FaceCount);
        Assert.Equal(expected.Statistics.BetweenPersonMeanSquaredDistance, nearby.Statistics.BetweenPersonMeanSquaredDistance, 1e-6);
        Assert.Equal(expected.Statistics.BetweenPersonMeanInverseFaces, nearby.Statistics.BetweenPersonMeanInverseFaces, 1e-9);
        Assert.Equal(index.PersonCount, index.NearestPersons(query, 100).Candidates.Length); // every person, when fewer than asked
    }
}
