using Visage.Training.Data;

namespace Visage.Training.Tests;

/// <summary>Seeded synthetic descriptors.</summary>
internal static class Synthetic
{
    public const int D = 128;

    public static float[] Gaussian(Random rng, int count, float scale = 1)
    {
        var v = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box-Muller
            var u1 = 1 - rng.NextDouble();
            var u2 = rng.NextDouble();
            v[i] = scale * (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return v;
    }

    /// <summary>
    /// <paramref name="identities"/> people with <paramref name="perIdentity"/> photos each: a small identity signal in
    /// the first 16 dimensions buried under large nuisance noise in the other 112, so plain distances barely separate them.
    /// </summary>
    public static LabeledVectors Clusters(int identities, int perIdentity, int seed, float signal = 0.3f, float noise = 0.25f)
    {
        var rng = new Random(seed);
        var vectors = new float[identities * perIdentity * D];
        var labels = new int[identities * perIdentity];
        for (var p = 0; p < identities; p++)
        {
            var center = Gaussian(rng, 16, signal);
            for (var k = 0; k < perIdentity; k++)
            {
                var row = vectors.AsSpan((p * perIdentity + k) * D, D);
                var jitter = Gaussian(rng, 16, signal / 6);
                for (var i = 0; i < 16; i++) row[i] = center[i] + jitter[i];
                Gaussian(rng, D - 16, noise).CopyTo(row[16..]);
                labels[p * perIdentity + k] = p;
            }
        }
        return new LabeledVectors(vectors, labels, D);
    }
}
