using Visage.Faces;
using Visage.Matching;

namespace Visage.Tests.Matching;

public class FaceDistanceTests
{
    private static double NaiveEuclidean(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += (double)(a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(sum);
    }

    private static double NaiveCosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) { dot += (double)a[i] * b[i]; na += (double)a[i] * a[i]; nb += (double)b[i] * b[i]; }
        return 1 - dot / (Math.Sqrt(na) * Math.Sqrt(nb));
    }

    [Fact]
    public void Euclidean_MatchesNaiveLoop_OnManyRandomDescriptors()
    {
        var rng = new Random(1);
        for (var n = 0; n < 2000; n++)
        {
            var a = Vectors.Random(rng);
            var b = Vectors.Random(rng);
            Assert.Equal(NaiveEuclidean(a, b), FaceDistance.Euclidean(a, b), 1e-4);
        }
    }

    [Fact]
    public void Cosine_MatchesNaiveLoop_OnManyRandomDescriptors()
    {
        var rng = new Random(2);
        for (var n = 0; n < 2000; n++)
        {
            var a = Vectors.Random(rng);
            var b = Vectors.Random(rng);
            Assert.Equal(NaiveCosine(a, b), FaceDistance.Cosine(a, b), 1e-5);
        }
    }

    [Fact]
    public void BothMetrics_MatchNaiveLoop_AtEveryLengthFrom1To256()
    {
        var rng = new Random(3);
        for (var length = 1; length <= 256; length++)
        {
            var a = Vectors.Random(rng, length);
            var b = Vectors.Random(rng, length);
            Assert.Equal(NaiveEuclidean(a, b), FaceDistance.Compute(DistanceMetric.Euclidean, a, b), 1e-4);
            Assert.Equal(NaiveCosine(a, b), FaceDistance.Compute(DistanceMetric.Cosine, a, b), 1e-5);
        }
    }

    [Fact]
    public void Euclidean_IsNotNormalized()
    {
        // (3, 4) vs origin is 5, not the distance between unit vectors.
        Assert.Equal(5f, FaceDistance.Euclidean(Vectors.At(3, 4), Vectors.At(0, 0)));
    }

    [Fact]
    public void Cosine_IsZeroForSameDirection_AndTwoForOpposite()
    {
        Assert.Equal(0f, FaceDistance.Cosine(Vectors.At(1, 1), Vectors.At(5, 5)), 1e-6f);
        Assert.Equal(2f, FaceDistance.Cosine(Vectors.At(1, 0), Vectors.At(-3, 0)), 1e-6f);
    }

    [Fact]
    public void MismatchedOrEmptyVectors_Throw()
    {
        Assert.Throws<ArgumentException>(() => FaceDistance.Euclidean(new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => FaceDistance.Cosine(new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => FaceDistance.Euclidean([], []));
        Assert.Throws<ArgumentException>(() => FaceDistance.Cosine([], []));
    }

    [Fact]
    public void Embeddings_OfDifferentModels_AreNeverCompared()
    {
        var a = new FaceEmbedding(Vectors.At(0, 0), "model-a");
        var b = new FaceEmbedding(Vectors.At(1, 0), "model-b");
        Assert.Throws<ArgumentException>(() => FaceDistance.Compute(a, b));
        Assert.Equal(1f, FaceDistance.Compute(a, new FaceEmbedding(Vectors.At(1, 0), "model-a")));
    }
}
