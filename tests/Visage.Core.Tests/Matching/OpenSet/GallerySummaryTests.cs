using System.Numerics.Tensors;
using Visage.Matching.OpenSet;

namespace Visage.Tests.Matching.OpenSet;

public sealed class GallerySummaryTests
{
    [Fact]
    public void Statistics_equal_the_mean_over_every_face_and_other_centroid_pair()
    {
        var faces = new SyntheticPopulation(seed: 3).Labeled(persons: 6, faces: 1)
            .Concat(new SyntheticPopulation(seed: 4).Labeled(persons: 5, faces: 3, firstId: 100)).ToList();
        var summary = GallerySummary.Of(faces);

        var centroids = faces.GroupBy(f => f.PersonId).ToDictionary(g => g.Key, g => Mean(g.Select(f => f.Vector)));
        double squared = 0, inverse = 0;
        var pairs = 0;
        foreach (var (person, vector) in faces)
            foreach (var (other, centroid) in centroids)
            {
                if (other == person) continue;
                var d = TensorPrimitives.Distance(vector, centroid);
                squared += d * d;
                inverse += 1.0 / faces.Count(f => f.PersonId == other);
                pairs++;
            }

        var s = summary.Statistics;
        Assert.Equal((11, 21), (s.PersonCount, s.FaceCount));
        Assert.Equal(squared / pairs, s.BetweenPersonMeanSquaredDistance, 5);
        Assert.Equal(inverse / pairs, s.BetweenPersonMeanInverseFaces, 9);
    }

    [Fact]
    public void Spread_and_centroid_follow_adds_and_removes()
    {
        var faces = new SyntheticPopulation(seed: 5).Labeled(persons: 3, faces: 4);
        var summary = GallerySummary.Of(faces);
        var before = summary.Statistics;
        var extra = new SyntheticPopulation(seed: 6).Labeled(persons: 1, faces: 1, firstId: 1)[0].Vector;

        summary.Add(1, extra);
        Assert.Equal(5, summary.FacesOf(1));
        summary.Remove(1, extra);

        var after = summary.Statistics;
        Assert.Equal(before.BetweenPersonMeanSquaredDistance, after.BetweenPersonMeanSquaredDistance, 9);
        var own = faces.Where(f => f.PersonId == 2).Select(f => f.Vector).ToList();
        var mean = Mean(own);
        var centroid = new float[mean.Length];
        Assert.True(summary.CentroidOf(2, centroid));
        Assert.Equal(0, TensorPrimitives.Distance(mean, centroid), 5);
        Assert.Equal(own.Average(v => Math.Pow(TensorPrimitives.Distance(v, mean), 2)), summary.SpreadOf(2), 5);
    }

    [Fact]
    public void A_person_goes_with_their_last_face_and_an_unknown_person_cannot_be_removed()
    {
        var face = new SyntheticPopulation(seed: 7).Labeled(persons: 1, faces: 1, firstId: 9)[0];
        var summary = GallerySummary.Of([face]);
        summary.Remove(9, face.Vector);
        Assert.Equal((0, 0), (summary.PersonCount, summary.FaceCount));
        Assert.Throws<KeyNotFoundException>(() => summary.Remove(9, face.Vector));
        Assert.True(double.IsNaN(summary.Statistics.BetweenPersonMeanSquaredDistance));
    }

    private static float[] Mean(IEnumerable<float[]> vectors)
    {
        var list = vectors.ToList();
        var mean = new float[list[0].Length];
        foreach (var v in list) TensorPrimitives.Add(mean, v, mean);
        TensorPrimitives.Divide(mean, list.Count, mean);
        return mean;
    }
}
