using Visage.Matching.OpenSet;

namespace Visage.Tests.Matching.OpenSet;

public sealed class OpenSetCalibrationTests
{
    [Fact]
    public void The_fit_recovers_the_within_person_variance_and_places_strangers_beyond_it()
    {
        var faces = new SyntheticPopulation(seed: 31, betweenVariance: 0.26, withinVariance: 0.086).Labeled(persons: 40, faces: 4);
        var model = OpenSetCalibration.Fit(faces, "test");

        Assert.InRange(model.WithinVariance, 0.086 * 0.95, 0.086 * 1.05);
        Assert.Equal(39, model.DegreesOfFreedom);
        // Stranger: r² = D² - w²/n estimates |mean_a - mean_b|² + w² = 2 * 0.26 + 0.086 whatever n.
        Assert.All(model.StrangerLocation, m => Assert.InRange(m, Math.Sqrt(0.606) - 0.03, Math.Sqrt(0.606) + 0.03));
        // Same person: D / sqrt(w² (1 + 1/n)) is about 1.
        Assert.InRange(model.GenuineLocation, 0.95, 1.05);
    }

    [Fact]
    public void Too_few_persons_to_fit_are_refused()
    {
        var faces = new SyntheticPopulation(seed: 32).Labeled(persons: 3, faces: 3);
        Assert.Throws<ArgumentException>(() => OpenSetCalibration.Fit(faces, "test"));
    }
}
