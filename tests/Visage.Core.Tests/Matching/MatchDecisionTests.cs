using Visage.Matching;

namespace Visage.Tests.Matching;

/// <summary>The decision rules on hand-made neighbour lists.</summary>
public class MatchDecisionTests
{
    private static readonly MatchingOptions Options = new() { Threshold = 0.6f };

    private static Neighbor N(long face, long person, float distance) => new(face, person, $"person{person}", distance);

    [Fact]
    public void Nearest_BelowThreshold_IsThatPerson()
    {
        var m = MatchDecision.Nearest([N(10, 1, 0.4f), N(11, 2, 0.5f)], Options);
        Assert.Equal(1, m.PersonId);
        Assert.Equal("person1", m.Name);
        Assert.Equal(0.4f, m.Distance);
        Assert.Equal(10, m.FaceId);
        Assert.Null(m.Votes);
        Assert.True(m.IsKnown);
    }

    [Fact]
    public void Nearest_AtThreshold_IsUnknown_ButKeepsTheDistance()
    {
        var m = MatchDecision.Nearest([N(10, 1, 0.6f)], Options);
        Assert.False(m.IsKnown);
        Assert.Null(m.Name);
        Assert.Equal(0.6f, m.Distance);
        Assert.Equal(0.6f, m.Threshold);
    }

    [Fact]
    public void Knn_MostVotesWins_OverACloserSingleFace()
    {
        var m = MatchDecision.Knn([N(1, 1, 0.1f), N(2, 2, 0.3f), N(3, 2, 0.4f), N(4, 2, 0.5f), N(5, 1, 0.9f)], Options);
        Assert.Equal(2, m.PersonId);
        Assert.Equal(3, m.Votes);
        Assert.Equal(0.3f, m.Distance); // the winner's best distance
        Assert.Equal(2, m.FaceId);
    }

    [Fact]
    public void Knn_FacesBeyondTheThreshold_DoNotVote()
    {
        var m = MatchDecision.Knn([N(1, 1, 0.3f), N(2, 2, 0.7f), N(3, 2, 0.8f), N(4, 2, 0.9f)], Options);
        Assert.Equal(1, m.PersonId);
        Assert.Equal(1, m.Votes);
    }

    [Fact]
    public void Knn_TieGoesToTheSmallerBestDistance()
    {
        var m = MatchDecision.Knn([N(1, 2, 0.1f), N(2, 1, 0.2f), N(3, 1, 0.4f), N(4, 2, 0.5f)], Options);
        Assert.Equal(2, m.PersonId);
        Assert.Equal(2, m.Votes);
        Assert.Equal(0.1f, m.Distance);
    }

    [Fact]
    public void Knn_NoVotes_IsUnknown_WithTheNearestDistance()
    {
        var m = MatchDecision.Knn([N(7, 1, 0.65f), N(8, 2, 0.7f)], Options);
        Assert.False(m.IsKnown);
        Assert.Equal(0, m.Votes);
        Assert.Equal(0.65f, m.Distance);
    }

    [Fact]
    public void Centroid_BelowThreshold_IsThatPerson_AndAboveIsUnknown()
    {
        Assert.Equal(3, MatchDecision.Centroid(new PersonDistance(3, "person3", 0.2f), Options).PersonId);
        var unknown = MatchDecision.Centroid(new PersonDistance(3, "person3", 0.61f), Options);
        Assert.False(unknown.IsKnown);
        Assert.Equal(0.61f, unknown.Distance);
    }

    [Fact]
    public void EmptyGallery_IsUnknown_AtInfiniteDistance_InEveryMode()
    {
        foreach (var m in new[]
                 {
                     MatchDecision.Nearest([], Options),
                     MatchDecision.Knn([], Options),
                     MatchDecision.Centroid(null, Options),
                 })
        {
            Assert.False(m.IsKnown);
            Assert.Null(m.Name);
            Assert.Equal(float.PositiveInfinity, m.Distance);
        }
    }

    [Fact]
    public void Options_Validate_RejectsNonsense()
    {
        MatchingOptions.Default.Validate();
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatchingOptions { K = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatchingOptions { Threshold = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatchingOptions { Threshold = float.NaN }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatchingOptions { Mode = (MatchMode)9 }.Validate());
        // The open-set rule is fitted on Euclidean distances; the face rules take either metric.
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatchingOptions { Metric = DistanceMetric.Cosine }.Validate());
        new MatchingOptions { Mode = MatchMode.Nearest, Metric = DistanceMetric.Cosine }.Validate();
        Assert.Throws<ArgumentOutOfRangeException>(() => MatchingOptions.At(1.5).Validate());
    }

    [Fact]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var o = new MatchingOptions();
        Assert.Equal(MatchingOptions.DefaultThreshold, o.Threshold);
        Assert.False(o.ThresholdIsSet);
        Assert.Equal(MatchingOptions.DefaultCosineThreshold, (o with { Metric = DistanceMetric.Cosine }).Threshold);
        Assert.Equal(MatchMode.OpenSet, o.Mode);
        Assert.Equal(0.01, o.OpenSet.TargetFalseAcceptRate);
        Assert.Equal(1, o.OpenSet.Candidates);
        Assert.Null(o.RuleOptions.Threshold);
        Assert.Equal(0.4f, (o with { Threshold = 0.4f }).RuleOptions.Threshold);
        Assert.Same(Visage.Matching.OpenSet.OpenSetModel.Default, o.Model);
        Assert.Equal(5, o.K);
        Assert.Equal(DistanceMetric.Euclidean, o.Metric);
        Assert.Contains("balanced (1% of strangers named)", o.Describe());
    }
}
