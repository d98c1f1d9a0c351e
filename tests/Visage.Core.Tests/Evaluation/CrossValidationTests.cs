using Visage.Evaluation;

namespace Visage.Tests.Evaluation;

public sealed class CrossValidationTests
{
    [Fact]
    public void Separable_pairs_score_1_in_every_fold()
    {
        var (d, same, folds) = Pairs(200, i => i % 2 == 0 ? 0.3f + i * 1e-4f : 0.9f + i * 1e-4f);
        var r = CrossValidation.Run(d, same, folds, 10);
        Assert.All(r.Accuracies, a => Assert.Equal(1.0, a));
        Assert.Equal(0.0, r.StdAccuracy);
        Assert.InRange(r.MeanThreshold, 0.33, 0.9);
    }

    [Fact]
    public void Strict_accounting_counts_every_unscored_pair_as_an_error()
    {
        // Separable, but 20 pairs (10 same, 10 different) have no face: usual counts the different ones right.
        var (d, same, folds) = Pairs(200, i => i % 2 == 0 ? 0.3f : 0.9f);
        for (var i = 0; i < 20; i++) d[i] = float.PositiveInfinity;
        var r = CrossValidation.Run(d, same, folds, 10);
        Assert.Equal(190 / 200.0, r.MeanAccuracy, 12);
        Assert.Equal(180 / 200.0, r.MeanStrictAccuracy, 12);
    }

    [Fact]
    public void Random_scores_fall_to_chance()
    {
        var rng = new Random(3);
        var (d, same, folds) = Pairs(2000, _ => (float)rng.NextDouble());
        var r = CrossValidation.Run(d, same, folds, 10);
        Assert.InRange(r.MeanAccuracy, 0.45, 0.56);
    }

    [Fact]
    public void A_fold_index_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentException>(() => CrossValidation.Run([0.1f, 0.9f], [true, false], [0, 10], 10));
    }

    /// <summary>Pairs alternating same/different, dealt round-robin into ten folds, distance by index.</summary>
    private static (float[], bool[], int[]) Pairs(int n, Func<int, float> distance)
    {
        var d = new float[n];
        var same = new bool[n];
        var folds = new int[n];
        for (var i = 0; i < n; i++) (d[i], same[i], folds[i]) = (distance(i), i % 2 == 0, i / 2 % 10);
        return (d, same, folds);
    }
}
