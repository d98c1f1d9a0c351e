using Visage.Matching;

namespace Visage.Tests.Matching;

public sealed class ThresholdCalibrationTests
{
    [Fact]
    public void Every_metric_and_use_has_a_calibration()
    {
        foreach (var metric in Enum.GetValues<DistanceMetric>())
            foreach (var use in Enum.GetValues<ThresholdUse>())
            {
                var c = ThresholdCalibration.For(metric, use);
                Assert.Equal((metric, use), (c.Metric, c.Use));
                Assert.InRange(c.FalseAcceptRate, 0, 0.05);
            }
        // Identification is the stricter of the two.
        Assert.True(ThresholdCalibration.For(DistanceMetric.Euclidean).Threshold < ThresholdCalibration.For(DistanceMetric.Euclidean, ThresholdUse.Verification).Threshold);
    }

    [Fact]
    public void The_default_threshold_follows_the_metric_and_says_where_it_comes_from()
    {
        var euclidean = new MatchingOptions();
        Assert.Equal(MatchingOptions.DefaultThreshold, euclidean.Threshold);
        Assert.Contains("calibrated for identification", euclidean.DescribeThreshold());
        Assert.Contains("FAR 0.23%", euclidean.DescribeThreshold());
        Assert.Equal(MatchingOptions.DefaultCosineThreshold, new MatchingOptions { Metric = DistanceMetric.Cosine }.Threshold);
    }

    [Fact]
    public void A_threshold_set_by_the_caller_has_no_calibration()
    {
        var o = new MatchingOptions { Threshold = 0.5f };
        Assert.Null(o.Calibration);
        Assert.Equal("0.5 (euclidean, set by the caller)", o.DescribeThreshold());
        Assert.Equal(0.5f, (o with { Metric = DistanceMetric.Cosine }).Threshold);
    }
}
