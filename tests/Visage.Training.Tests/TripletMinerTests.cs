using Visage.Training.Loss;

namespace Visage.Training.Tests;

public sealed class TripletMinerTests
{
    // Points on a line (1-D embeddings): A at 0 and 1, B at 1.5 and 4, C at 3.
    private static readonly float[] Points = [0, 1, 1.5f, 4, 3];
    private static readonly int[] Labels = [0, 0, 1, 1, 2];

    private static List<Triplet> Mine(MiningStrategy strategy)
    {
        var distances = new float[25];
        TripletMiner.SquaredDistances(Points, 5, 1, distances);
        var triplets = new List<Triplet>();
        TripletMiner.Mine(distances, Labels, strategy, triplets);
        return triplets;
    }

    [Fact]
    public void Squared_distances_of_points_on_a_line()
    {
        var distances = new float[25];

        TripletMiner.SquaredDistances(Points, 5, 1, distances);

        Assert.Equal(1f, distances[0 * 5 + 1]);
        Assert.Equal(16f, distances[3 * 5 + 0]);
        Assert.Equal(6.25f, distances[2 * 5 + 3]);
        Assert.Equal(0f, distances[4 * 5 + 4]);
    }

    [Fact]
    public void Semi_hard_takes_the_closest_negative_beyond_the_positive_else_the_farthest()
    {
        var triplets = Mine(MiningStrategy.SemiHard);

        // Anchor 0 (positive 1 at d²=1): negatives at d² 2.25, 16, 9 -> semi-hard is 2 (2.25).
        // Anchor 1 (positive 0 at d²=1): negatives at 0.25, 9, 4 -> beyond 1: 4 (C at 3, d²=4).
        // Anchor 2 (positive 3 at d²=6.25): negatives at 2.25, 0.25, 2.25: none beyond -> the farthest, 0 (first of the ties).
        // Anchor 3 (positive 2 at d²=6.25): negatives at 16, 9, 1 -> the closest beyond 6.25 is 1 (d²=9).
        Assert.Equal([new(0, 1, 2), new(1, 0, 4), new(2, 3, 0), new(3, 2, 1)], triplets);
    }

    [Fact]
    public void Batch_hard_takes_the_farthest_positive_and_the_closest_negative_per_anchor()
    {
        var triplets = Mine(MiningStrategy.BatchHard);

        // Anchor 4 (C) has no positive and is skipped.
        Assert.Equal([new(0, 1, 2), new(1, 0, 2), new(2, 3, 1), new(3, 2, 4)], triplets);
    }

    [Fact]
    public void All_lists_every_valid_triplet()
    {
        // 4 anchor-positive pairs, 3 negatives each.
        Assert.Equal(12, Mine(MiningStrategy.All).Count);
    }

    [Fact]
    public void Loss_of_known_triplets()
    {
        var loss = new TripletLoss(margin: 0.5f, MiningStrategy.BatchHard);

        var result = loss.Compute(Points, 1, Labels, []);

        // Hinges: 1 - 2.25 + .5 < 0; 1 - 0.25 + .5 = 1.25; 6.25 - 0.25 + .5 = 6.5; 6.25 - 1 + .5 = 5.75.
        Assert.Equal(4, result.Triplets);
        Assert.Equal(3, result.Active);
        Assert.Equal((1.25f + 6.5f + 5.75f) / 4, result.Loss, 5);
    }

    [Fact]
    public void Loss_gradient_matches_finite_differences()
    {
        var rng = new Random(4);
        const int batch = 8, dims = 5;
        var embeddings = Synthetic.Gaussian(rng, batch * dims);
        int[] labels = [0, 0, 1, 1, 2, 2, 3, 3];
        var loss = new TripletLoss(margin: 20f, MiningStrategy.SemiHard); // every hinge open: the loss is smooth here
        var gradient = new float[batch * dims];
        loss.Compute(embeddings, dims, labels, gradient);
        var distances = new float[batch * batch];

        float LossAt(float[] e)
        {
            TripletMiner.SquaredDistances(e, batch, dims, distances);
            return loss.Evaluate(e, dims, distances, []).Loss; // the same triplets
        }

        for (var i = 0; i < embeddings.Length; i++)
        {
            const float h = 1e-2f;
            var saved = embeddings[i];
            embeddings[i] = saved + h;
            var up = LossAt(embeddings);
            embeddings[i] = saved - h;
            var down = LossAt(embeddings);
            embeddings[i] = saved;
            Assert.Equal((up - down) / (2 * h), gradient[i], 2);
        }
    }
}
