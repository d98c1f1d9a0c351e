using Visage.Faces;

namespace Visage.Tests;

/// <summary>Descriptors for tests: seeded random ones, and hand-made ones that live in the first two dimensions.</summary>
internal static class Vectors
{
    public const string Model = "test-model";

    public static float[] Random(Random rng, int length = FaceEmbedding.Dimensions)
    {
        var v = new float[length];
        for (var i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    /// <summary>(x, y, 0, 0, ...): Euclidean distances between these are plain 2-D distances.</summary>
    public static float[] At(float x, float y)
    {
        var v = new float[FaceEmbedding.Dimensions];
        v[0] = x;
        v[1] = y;
        return v;
    }

    public static FaceEmbedding Embed(float[] v, string model = Model) => new(v, model);
}
