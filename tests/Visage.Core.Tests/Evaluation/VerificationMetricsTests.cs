using Visage.Evaluation;

namespace Visage.Tests.Evaluation;

/// <summary>The metrics on hand-made score lists whose ROC, AUC, EER and accuracy are worked out in the comments.</summary>
public sealed class VerificationMetricsTests
{
    private static VerificationMetrics Of(float[] same, float[] different) =>
        new([.. same, .. different], [.. same.Select(_ => true), .. different.Select(_ => false)]);

    // Sorted: 0.1 S, 0.2 S, 0.3 D, 0.4 S, 0.5 D, 0.6 D, 0.7 S, 0.8 D.
    // Same pairs beaten by different ones: 0.1 -> 4, 0.2 -> 4, 0.4 -> 3, 0.7 -> 1: AUC = 12 / 16.
    private static readonly VerificationMetrics Mixed = Of([0.1f, 0.2f, 0.4f, 0.7f], [0.3f, 0.5f, 0.6f, 0.8f]);

    [Fact]
    public void Perfect_separation_has_auc_1_eer_0_and_accuracy_1()
    {
        var m = Of([0.1f, 0.2f, 0.3f], [0.5f, 0.6f, 0.7f]);
        Assert.Equal(1.0, m.Auc(), 12);
        Assert.Equal(0.0, m.EqualErrorRate(), 12);
        var (threshold, accuracy) = m.BestThreshold();
        Assert.Equal(1.0, accuracy);
        Assert.Equal(0.4f, threshold, 5);   // halfway between the farthest same and the closest different pair
        Assert.Equal(1.0, m.TarAtFar(0));
    }

    [Fact]
    public void Inverted_scores_have_auc_0()
    {
        Assert.Equal(0.0, Of([0.5f, 0.6f, 0.7f], [0.1f, 0.2f, 0.3f]).Auc(), 12);
    }

    [Fact]
    public void Mixed_scores_match_the_worked_example()
    {
        Assert.Equal(0.75, Mixed.Auc(), 12);
        // (FAR, FRR) walk: (0,1) (0,.75) (0,.5) (.25,.5) (.25,.25): they meet at 0.25.
        Assert.Equal(0.25, Mixed.EqualErrorRate(), 12);
        // 6 of 8 right after 0.2 (t 0.25) and after 0.4 (t 0.45); the median of the tie is the second.
        var (threshold, accuracy) = Mixed.BestThreshold();
        Assert.Equal(0.75, accuracy);
        Assert.Equal(0.45f, threshold, 5);
        Assert.Equal(0.5, Mixed.TarAtFar(0));
        Assert.Equal(0.75, Mixed.TarAtFar(0.25));
        Assert.Equal(1.0, Mixed.TarAtFar(1));
    }

    [Fact]
    public void Roc_walks_from_nothing_accepted_to_everything_accepted()
    {
        var roc = Mixed.Roc();
        Assert.Equal(9, roc.Count);
        Assert.Equal((0.0, 0.0), (roc[0].FalseAcceptRate, roc[0].TrueAcceptRate));
        Assert.Equal((0.25, 0.75), (roc[4].FalseAcceptRate, roc[4].TrueAcceptRate));
        Assert.Equal((1.0, 1.0), (roc[^1].FalseAcceptRate, roc[^1].TrueAcceptRate));
        // Each point's threshold accepts exactly what the point counts.
        foreach (var p in roc)
        {
            Assert.Equal(p.FalseAcceptRate, Mixed.FalseAcceptRate(p.Threshold), 12);
            Assert.Equal(p.TrueAcceptRate, Mixed.TrueAcceptRate(p.Threshold), 12);
        }
    }

    [Fact]
    public void Accuracy_counts_strictly_below_as_same()
    {
        Assert.Equal(0.75, Mixed.Accuracy(0.25f));
        Assert.Equal(0.75, Mixed.Accuracy(0.3f));      // 0.3 is not below 0.3: that different pair is rightly rejected
        Assert.Equal(5 / 8.0, Mixed.Accuracy(0.35f));  // now it is accepted
        Assert.Equal(0.5, Mixed.Accuracy(0f));
    }

    [Fact]
    public void Ties_count_one_half()
    {
        Assert.Equal(0.5, Of([0.5f], [0.5f]).Auc(), 12);
    }

    [Fact]
    public void Unscored_pairs_are_never_accepted()
    {
        // 0.1 beats both different pairs (2); +inf ties the +inf different pair (0.5): AUC 2.5 / 4.
        var m = Of([0.1f, float.PositiveInfinity], [0.5f, float.PositiveInfinity]);
        Assert.Equal(0.625, m.Auc(), 12);
        Assert.Equal(0.5, m.TrueAcceptRate(float.MaxValue));
        Assert.Equal(0.75, m.BestThreshold().Accuracy);
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Of([0.1f], []));
        Assert.Throws<ArgumentException>(() => Of([float.NaN], [0.2f]));
        Assert.Throws<ArgumentException>(() => new VerificationMetrics([0.1f], [true, false]));
    }
}
