namespace Visage.Matching.OpenSet;

/// <summary>
/// Student's t distribution with <c>nu</c> degrees of freedom, standardized to unit variance (so a location and a
/// standard deviation fully place it): the shape of both distance models. Its tails are heavier than the normal's by
/// an amount set by <c>nu</c>, which <see cref="OpenSetCalibration"/> ties to the number of persons the model was
/// fitted on (the predictive distribution of a new value when mean and variance come from that many units).
/// </summary>
internal static class StudentT
{
    /// <summary>P(X &lt;= z) for a unit-variance t variable (nu &gt; 2).</summary>
    public static double Cdf(double z, double nu)
    {
        var t = z * Stretch(nu);
        var tail = 0.5 * RegularizedBeta(nu / 2, 0.5, nu / (nu + t * t));
        return t > 0 ? 1 - tail : tail;
    }

    /// <summary>The z with <see cref="Cdf"/>(z) = p, by bisection (the CDF is monotone; 100 halvings reach double precision).</summary>
    public static double Quantile(double p, double nu)
    {
        if (p <= 0) return double.NegativeInfinity;
        if (p >= 1) return double.PositiveInfinity;
        double lo = -1e4, hi = 1e4;
        for (var i = 0; i < 100 && hi - lo > 1e-12; i++)
        {
            var mid = (lo + hi) / 2;
            if (Cdf(mid, nu) < p) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /// <summary>Natural log of the density of a unit-variance t variable at z.</summary>
    public static double LogPdf(double z, double nu)
    {
        var s = Stretch(nu);
        var t = z * s;
        return LogGamma((nu + 1) / 2) - LogGamma(nu / 2) - 0.5 * Math.Log(nu * Math.PI) - (nu + 1) / 2 * Math.Log(1 + t * t / nu) + Math.Log(s);
    }

    // A t variable has variance nu / (nu - 2); z * Stretch(nu) is the plain t value of a unit-variance z.
    private static double Stretch(double nu) => Math.Sqrt(nu / (nu - 2));

    /// <summary>ln Gamma(x) for x &gt; 0 (Lanczos, g = 7, 9 terms: about 15 significant digits).</summary>
    private static double LogGamma(double x)
    {
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        var a = c[0];
        var t = x + 7.5;
        for (var i = 1; i < 9; i++) a += c[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>The regularized incomplete beta function I_x(a, b), by its continued fraction (modified Lentz).</summary>
    private static double RegularizedBeta(double a, double b, double x)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        // The fraction converges fast for x below (a + 1) / (a + b + 2); use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) above it.
        return x < (a + 1) / (a + b + 2) ? front * BetaFraction(a, b, x) / a : 1 - front * BetaFraction(b, a, 1 - x) / b;
    }

    private static double BetaFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300, Epsilon = 1e-15;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        var h = d;
        for (var m = 1; m <= 500; m++)
        {
            var m2 = 2 * m;
            foreach (var coefficient in (ReadOnlySpan<double>)[m * (b - m) * x / ((a - 1 + m2) * (a + m2)), -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2))])
            {
                d = 1 + coefficient * d;
                d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
                c = 1 + coefficient / c;
                if (Math.Abs(c) < Tiny) c = Tiny;
                h *= d * c;
            }
            if (Math.Abs(d * c - 1) < Epsilon) break;
        }
        return h;
    }
}
