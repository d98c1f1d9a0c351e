using Visage.Gallery.Search;
using Visage.Gallery;
using Visage.Matching;
using Visage.Recognition;
using static Visage.Tests.Vectors;

namespace Visage.Tests.Matching;

/// <summary>Each mode on a gallery of hand-made vectors whose answers are known (distances are 2-D distances).</summary>
public class MatchModeTests
{
    private const long Alice = 1, Bob = 2;
    private long _nextFace = 100;

    private GalleryIndex Gallery(params (long Person, float X, float Y)[] faces)
    {
        var index = new GalleryIndex(Model);
        foreach (var (person, x, y) in faces) index.Add(_nextFace++, person, person == Alice ? "Alice" : "Bob", At(x, y));
        return index;
    }

    private static MatchingOptions Mode(MatchMode mode, float threshold = 0.6f, int k = 5) => new() { Mode = mode, Threshold = threshold, K = k };

    [Fact]
    public void Nearest_NamesThePersonOfTheNearestFace()
    {
        using var g = Gallery((Alice, 0, 0), (Alice, 0.1f, 0), (Bob, 1, 0), (Bob, 1.1f, 0));
        var m = Recognizer.Identify(g, Embed(At(0.95f, 0)), Mode(MatchMode.Nearest));
        Assert.Equal("Bob", m.Name);
        Assert.Equal(0.05f, m.Distance, 1e-6f);
        Assert.Equal(102, m.FaceId);
    }

    [Theory]
    [InlineData(MatchMode.Nearest)]
    [InlineData(MatchMode.Knn)]
    [InlineData(MatchMode.Centroid)]
    [InlineData(MatchMode.OpenSet)]
    public void AStranger_IsUnknown_InEveryMode_AndCarriesTheBestDistance(MatchMode mode)
    {
        using var g = Gallery((Alice, 0, 0), (Alice, 0.1f, 0), (Bob, 1, 0), (Bob, 1.1f, 0));
        var m = Recognizer.Identify(g, Embed(At(5, 5)), Mode(mode));
        Assert.False(m.IsKnown);
        Assert.Null(m.Name);
        Assert.Null(m.PersonId);
        var expected = mode is MatchMode.Centroid or MatchMode.OpenSet ? MathF.Sqrt(3.95f * 3.95f + 25) : MathF.Sqrt(3.9f * 3.9f + 25);
        Assert.Equal(expected, m.Distance, 1e-5f);
        // Every mode's answer carries the open-set model's confidence (here: surely nobody enrolled) and a reason.
        Assert.InRange(m.Confidence, 0.99, 1);
        Assert.Equal("no enrolled face close enough", m.Explanation);
    }

    [Fact]
    public void Knn_OutvotesACloserSingleFace_WhereNearestDoesNot()
    {
        // Alice: one face at 0.1 from the query; Bob: three faces at 0.5.
        using var g = Gallery((Alice, 0.1f, 0), (Bob, 0.5f, 0), (Bob, 0, 0.5f), (Bob, -0.5f, 0));
        var query = Embed(At(0, 0));
        Assert.Equal("Alice", Recognizer.Identify(g, query, Mode(MatchMode.Nearest)).Name);
        var knn = Recognizer.Identify(g, query, Mode(MatchMode.Knn));
        Assert.Equal("Bob", knn.Name);
        Assert.Equal(3, knn.Votes);
        Assert.Equal(0.5f, knn.Distance);
        // With K = 1 only the nearest face votes.
        Assert.Equal("Alice", Recognizer.Identify(g, query, Mode(MatchMode.Knn, k: 1)).Name);
    }

    [Fact]
    public void Knn_Tie_GoesToTheSmallerBestDistance()
    {
        using var g = Gallery((Alice, 0.2f, 0), (Alice, 0.4f, 0), (Bob, 0.1f, 0), (Bob, 0.5f, 0));
        var m = Recognizer.Identify(g, Embed(At(0, 0)), Mode(MatchMode.Knn));
        Assert.Equal("Bob", m.Name);
        Assert.Equal(2, m.Votes);
    }

    [Fact]
    public void Centroid_PrefersThePersonWhoseMeanIsNearest()
    {
        // Alice's faces straddle the query (mean exactly on it); Bob has the single nearest face.
        using var g = Gallery((Alice, 0.3f, 0), (Alice, -0.3f, 0), (Bob, 0.2f, 0));
        var query = Embed(At(0, 0));
        Assert.Equal("Bob", Recognizer.Identify(g, query, Mode(MatchMode.Nearest)).Name);
        var m = Recognizer.Identify(g, query, Mode(MatchMode.Centroid));
        Assert.Equal("Alice", m.Name);
        Assert.Equal(0f, m.Distance);
        Assert.Null(m.FaceId);
    }

    [Fact]
    public void Threshold_IsStrict_AndLowerIsStricter()
    {
        using var g = Gallery((Alice, 0.5f, 0));
        var query = Embed(At(0, 0));
        Assert.True(Recognizer.Identify(g, query, Mode(MatchMode.Nearest, threshold: 0.51f)).IsKnown);
        Assert.False(Recognizer.Identify(g, query, Mode(MatchMode.Nearest, threshold: 0.5f)).IsKnown);
        Assert.False(Recognizer.Identify(g, query, Mode(MatchMode.Knn, threshold: 0.5f)).IsKnown);
        Assert.False(Recognizer.Identify(g, query, Mode(MatchMode.Centroid, threshold: 0.5f)).IsKnown);
    }

    [Fact]
    public void Nearest_EqualDistances_GoToTheEarlierEnrolledFace()
    {
        using var g = Gallery((Bob, -0.2f, 0), (Alice, 0.2f, 0));
        Assert.Equal("Bob", Recognizer.Identify(g, Embed(At(0, 0)), Mode(MatchMode.Nearest)).Name);
    }

    [Theory]
    [InlineData(MatchMode.Nearest)]
    [InlineData(MatchMode.Knn)]
    [InlineData(MatchMode.Centroid)]
    [InlineData(MatchMode.OpenSet)]
    public void EmptyGallery_IsUnknown_AtInfiniteDistance(MatchMode mode)
    {
        using var g = Gallery();
        var m = Recognizer.Identify(g, Embed(At(0, 0)), Mode(mode));
        Assert.False(m.IsKnown);
        Assert.Equal(float.PositiveInfinity, m.Distance);
        Assert.Equal(mode, m.Mode);
        Assert.Equal("no one enrolled", m.Explanation);
        Assert.Empty(m.Candidates);
    }

    [Fact]
    public void Cosine_MatchesByDirection_NotLength()
    {
        using var g = Gallery((Alice, 1, 0), (Bob, 0, 1));
        var options = new MatchingOptions { Mode = MatchMode.Nearest, Metric = DistanceMetric.Cosine, Threshold = 0.1f };
        var m = Recognizer.Identify(g, Embed(At(10, 1)), options);
        Assert.Equal("Alice", m.Name);
        Assert.Equal(DistanceMetric.Cosine, m.Metric);
        Assert.False(Recognizer.Identify(g, Embed(At(1, 1)), options).IsKnown); // 1 - cos 45 deg = 0.29
    }

    [Fact]
    public void AQueryFromAnotherModel_IsRejected()
    {
        using var g = Gallery((Alice, 0, 0));
        Assert.Throws<ArgumentException>(() => Recognizer.Identify(g, Embed(At(0, 0), "other-model")));
    }
}
