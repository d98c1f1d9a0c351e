namespace Visage.Tests.Matching.OpenSet;

/// <summary>
/// Synthetic descriptors with the scales of the real ones: each person a random mean, each face that mean plus
/// isotropic noise. With the defaults a face lies about 0.29 from its person's mean (within-person variance 0.086, as
/// measured on ../shared/data/faces) and two persons' means about 0.72 apart.
/// </summary>
internal sealed class SyntheticPopulation(int seed, double betweenVariance = 0.26, double withinVariance = 0.086, int dimensions = 128)
{
    private readonly Random _rng = new(seed);

    /// <summary>A new person's mean.</summary>
    public float[] Person() => Noise(Math.Sqrt(betweenVariance / dimensions));

    /// <summary>A face of the person with mean <paramref name="mean"/>.</summary>
    public float[] Face(float[] mean)
    {
        var v = Noise(Math.Sqrt(withinVariance / dimensions));
        for (var i = 0; i < v.Length; i++) v[i] += mean[i];
        return v;
    }

    /// <summary><paramref name="persons"/> persons with <paramref name="faces"/> faces each, person ids from <paramref name="firstId"/>.</summary>
    public List<(long PersonId, float[] Vector)> Labeled(int persons, int faces, long firstId = 0)
    {
        var result = new List<(long, float[])>();
        for (var p = 0; p < persons; p++)
        {
            var mean = Person();
            for (var f = 0; f < faces; f++) result.Add((firstId + p, Face(mean)));
        }
        return result;
    }

    private float[] Noise(double sd)
    {
        var v = new float[dimensions];
        for (var i = 0; i < v.Length; i++)
        {
            // Box-Muller
            var u = 1 - _rng.NextDouble();
            v[i] = (float)(sd * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * _rng.NextDouble()));
        }
        return v;
    }
}
