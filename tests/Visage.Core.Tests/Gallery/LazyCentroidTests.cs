using Visage.Gallery.Search;
using Visage.Gallery;

namespace Visage.Tests.Gallery;

/// <summary>Person means are built on first use, then kept in step with later adds and removes.</summary>
public sealed class LazyCentroidTests
{
    [Fact]
    public void Means_built_late_then_updated_stay_the_mean_of_each_persons_faces()
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
        for (var f = 0; f < 600; f++) Add(f);
        Assert.NotNull(index.CentroidOf(rows[0].Person)); // builds the means

        for (var f = 600; f < 900; f++) Add(f);
        foreach (var r in rows.Where((_, i) => i % 3 == 0).ToList())
        {
            Assert.True(index.Remove(r.Face));
            rows.Remove(r);
        }
        index.RemovePerson(7);
        rows.RemoveAll(r => r.Person == 7);

        Assert.Null(index.CentroidOf(7));
        Assert.Equal(rows.Select(r => r.Person).Distinct().Count(), index.PersonCount);
        foreach (var group in rows.GroupBy(r => r.Person))
        {
            var centroid = index.CentroidOf(group.Key)!;
            for (var i = 0; i < 128; i++) Assert.Equal(group.Average(r => (double)r.V[i]), centroid[i], 1e-5);
        }
    }
}
