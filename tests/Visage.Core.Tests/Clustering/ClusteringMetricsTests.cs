using Visage.Clustering;

namespace Visage.Tests.Clustering;

public sealed class ClusteringMetricsTests
{
    [Fact]
    public void Hand_counted_example()
    {
        // Clusters {0,1} {2,3} and 4 alone; persons A = {0,1,2}, B = {3,4}.
        var score = ClusteringMetrics.Score([0, 0, 1, 1, -1], [7, 7, 7, 9, 9]);

        // Pairs put together: (0,1) right, (2,3) wrong. Pairs of one person: (0,1) (0,2) (1,2) (3,4).
        Assert.Equal(1 / 2.0, score.PairwisePrecision, 12);
        Assert.Equal(1 / 4.0, score.PairwiseRecall, 12);
        Assert.Equal(1 / 3.0, score.PairwiseF1, 12);
        // Per face precision 1, 1, 1/2, 1/2, 1; recall 2/3, 2/3, 1/3, 1/2, 1/2.
        Assert.Equal(0.8, score.BCubedPrecision, 12);
        Assert.Equal(8 / 15.0, score.BCubedRecall, 12);
        Assert.Equal(2 * 0.8 * (8 / 15.0) / (0.8 + 8 / 15.0), score.BCubedF1, 12);
        Assert.Equal((5, 2, 1, 2), (score.Items, score.Clusters, score.Unclustered, score.Classes));
    }

    [Fact]
    public void Perfect_clustering_scores_one_even_with_other_label_values()
    {
        var score = ClusteringMetrics.Score([3, 3, 0, 0, 0], [1, 1, 2, 2, 2]);

        Assert.Equal([1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
            [score.PairwisePrecision, score.PairwiseRecall, score.PairwiseF1, score.BCubedPrecision, score.BCubedRecall, score.BCubedF1]);
    }

    [Fact]
    public void Everything_unclustered_has_full_precision_and_no_recall()
    {
        var score = ClusteringMetrics.Score([-1, -1, -1, -1], [1, 1, 2, 2]);

        Assert.Equal(1.0, score.PairwisePrecision);
        Assert.Equal(0.0, score.PairwiseRecall);
        Assert.Equal(0.5, score.BCubedRecall, 12);
        Assert.Equal(4, score.Unclustered);
    }

    [Fact]
    public void Mismatched_lengths_throw() => Assert.Throws<ArgumentException>(() => ClusteringMetrics.Score([1, 2], [1]));
}
