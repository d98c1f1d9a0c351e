using System.Numerics.Tensors;
using Visage.Faces;

namespace Visage.Matching;

/// <summary>Distances between face descriptors, vectorized with <see cref="TensorPrimitives"/>.</summary>
public static class FaceDistance
{
    /// <summary>Euclidean distance <c>sqrt(sum((a[i] - b[i])^2))</c> over the raw values (no normalization).</summary>
    /// <exception cref="ArgumentException">The spans are empty or differ in length.</exception>
    public static float Euclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckLengths(a, b);
        return TensorPrimitives.Distance(a, b);
    }

    /// <summary>
    /// Cosine distance <c>1 - dot(a, b) / (|a| |b|)</c>, in [0, 2]. NaN when either vector is all zeros
    /// (its direction is undefined).
    /// </summary>
    /// <exception cref="ArgumentException">The spans are empty or differ in length.</exception>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckLengths(a, b);
        return 1f - TensorPrimitives.CosineSimilarity(a, b);
    }

    /// <summary>The distance of <paramref name="metric"/> between two vectors.</summary>
    /// <exception cref="ArgumentException">The spans are empty or differ in length.</exception>
    public static float Compute(DistanceMetric metric, ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        metric == DistanceMetric.Cosine ? Cosine(a, b) : Euclidean(a, b);

    /// <summary>The distance between two descriptors of the same model.</summary>
    /// <exception cref="ArgumentException">The descriptors come from different models, so their distance means nothing.</exception>
    public static float Compute(FaceEmbedding a, FaceEmbedding b, DistanceMetric metric = DistanceMetric.Euclidean)
    {
        if (a.ModelId != b.ModelId)
            throw new ArgumentException($"cannot compare descriptors of model '{a.ModelId}' and model '{b.ModelId}'");
        return Compute(metric, a.Vector, b.Vector);
    }

    // Checked here rather than left to TensorPrimitives so every metric fails the same way.
    private static void CheckLengths(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"vectors differ in length ({a.Length} and {b.Length})");
        if (a.IsEmpty) throw new ArgumentException("vectors must not be empty");
    }
}
