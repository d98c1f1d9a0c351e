using Visage.Matching.OpenSet;

namespace Visage.Tests.Matching.OpenSet;

public sealed class StudentTTests
{
    [Theory]
    // Two-sided 95% points of Student's t (tables): 2.228 for nu = 10, 2.042 for nu = 30; the normal's 1.960 for a large nu.
    [InlineData(10, 2.228)]
    [InlineData(30, 2.042)]
    [InlineData(1e6, 1.960)]
    public void Tail_matches_the_tables(double nu, double t)
    {
        var z = -t * Math.Sqrt((nu - 2) / nu); // the unit-variance scale the models use
        Assert.Equal(0.025, StudentT.Cdf(z, nu), 4);
        Assert.Equal(z, StudentT.Quantile(0.025, nu), 3);
    }

    [Fact]
    public void Density_integrates_to_the_cdf()
    {
        const double nu = 20;
        const double from = -12, to = -1.5, step = 1e-3;
        double integral = 0;
        for (var i = 0; i < (int)Math.Round((to - from) / step); i++) integral += Math.Exp(StudentT.LogPdf(from + (i + 0.5) * step, nu)) * step;
        Assert.Equal(StudentT.Cdf(to, nu), integral, 6);
    }
}
