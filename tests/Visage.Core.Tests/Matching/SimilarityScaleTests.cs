using Visage.Matching;

namespace Visage.Tests.Matching;

public sealed class SimilarityScaleTests
{
    [Fact]
    public void AtTheThreshold_ItIsOneHalf_BelowItMore_AboveItLess_AndAnEmptyGalleryIsZero()
    {
        Assert.Equal(0.5f, SimilarityScale.Of(0.48f, 0.48f), 6);
        Assert.InRange(SimilarityScale.Of(0.3f, 0.48f), 0.5f, 1f);
        Assert.InRange(SimilarityScale.Of(0.7f, 0.48f), 0f, 0.5f);
        Assert.Equal(0f, SimilarityScale.Of(float.PositiveInfinity, 0.48f));
        // CompreFace's form exactly: (tanh((c0 - d) * c1) + 1) / 2.
        Assert.Equal((MathF.Tanh((0.48f - 0.4f) * 5.3f) + 1) / 2, SimilarityScale.Of(0.4f, 0.48f, 5.3f), 6);
    }

    [Fact]
    public void Fit_RecoversTheSlopeOfPairsDrawnFromTheModel()
    {
        const double slope = 7.0, midpoint = 0.5;
        var rng = new Random(3);
        var same = new List<float>();
        var different = new List<float>();
        for (var i = 0; i < 200_000; i++)
        {
            var d = rng.NextDouble() * 1.2;
            var pSame = 1 / (1 + Math.Exp(-2 * slope * (midpoint - d)));
            (rng.NextDouble() < pSame ? same : different).Add((float)d);
        }
        Assert.Equal(slope, SimilarityScale.Fit(same.ToArray(), different.ToArray(), (float)midpoint), 1);
        Assert.Throws<ArgumentException>(() => SimilarityScale.Fit([], [0.5f], 0.5f));
    }

    [Fact]
    public void Bands_CountThePairsBetweenTheEdges()
    {
        var bands = SimilarityScale.Bands([0.1f, 0.2f, 0.5f], [0.5f, 0.9f], 0.48f, 10, [0, 0.3f, 0.6f, 1]);
        Assert.Equal([(2, 0), (1, 1), (0, 1)], bands.Select(b => (b.Same, b.Different)));
        Assert.Equal(0.5, bands[1].SameShare);
        Assert.Equal(SimilarityScale.Of(0.15f, 0.48f, 10), bands[0].Similarity);
    }
}
