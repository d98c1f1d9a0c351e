using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Visage.Cli.Bench;

/// <summary>
/// Seeded synthetic 128-d descriptors shaped like real ones: persons are random centers (distance about 1.0 between
/// two persons), each face a center plus noise (about 0.35 between two faces of a person), so a query's top 10 is
/// its person's faces and then the nearest strangers, as in a real gallery.
/// </summary>
public sealed class SyntheticFaces(int seed, int facesPerPerson = 10)
{
    private const int Dims = 128;
    private const double CenterSigma = 0.0625;
    private const double NoiseSigma = 0.022;

    public int FacesPerPerson => facesPerPerson;

    /// <summary>Face <paramref name="face"/> (person = face / faces per person), the same on every call and in every run.</summary>
    public void Face(long face, Span<float> destination)
    {
        Center(face / facesPerPerson, destination);
        AddNoise(new Random(Seed(seed, face, 1)), destination);
    }

    /// <summary>A new photo of person <paramref name="person"/>: a query whose answer is known.</summary>
    public float[] Query(long person, int variant)
    {
        var v = new float[Dims];
        Center(person, v);
        AddNoise(new Random(Seed(seed, person, variant, 2)), v);
        return v;
    }

    private void Center(long person, Span<float> v)
    {
        var rng = new Random(Seed(seed, person, 3));
        for (var i = 0; i < v.Length; i++) v[i] = (float)(CenterSigma * Normal(rng));
    }

    // A fixed hash, not HashCode.Combine: that one is salted per process, so every bench run drew another gallery
    // and its recall moved by a query or two from one run to the next.
    private static int Seed(params ReadOnlySpan<long> parts) => (int)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(parts));

    private static void AddNoise(Random rng, Span<float> v)
    {
        for (var i = 0; i < v.Length; i++) v[i] += (float)(NoiseSigma * Normal(rng));
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
