namespace Visage.Training.Data;

/// <summary>Descriptors with an identity label each: <see cref="Vectors"/> is <c>[Count, Dimensions]</c> row-major.</summary>
public sealed class LabeledVectors
{
    /// <summary>Wraps vectors and labels (not copied).</summary>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public LabeledVectors(float[] vectors, int[] labels, int dimensions)
    {
        if (dimensions <= 0 || vectors.Length != labels.Length * dimensions)
            throw new ArgumentException($"{vectors.Length} values are not {labels.Length} vectors of {dimensions}");
        Vectors = vectors;
        Labels = labels;
        Dimensions = dimensions;
    }

    /// <summary>The vectors.</summary>
    public float[] Vectors { get; }

    /// <summary>Identity per vector.</summary>
    public int[] Labels { get; }

    /// <summary>Width of a vector.</summary>
    public int Dimensions { get; }

    /// <summary>Number of vectors.</summary>
    public int Count => Labels.Length;

    /// <summary>Number of distinct identities.</summary>
    public int Identities => Labels.Distinct().Count();

    /// <summary>Vector <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> this[int index] => Vectors.AsSpan(index * Dimensions, Dimensions);

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public LabeledVectors Select(IReadOnlyList<int> indices)
    {
        var vectors = new float[indices.Count * Dimensions];
        var labels = new int[indices.Count];
        for (var k = 0; k < indices.Count; k++)
        {
            this[indices[k]].CopyTo(vectors.AsSpan(k * Dimensions, Dimensions));
            labels[k] = Labels[indices[k]];
        }
        return new LabeledVectors(vectors, labels, Dimensions);
    }

    /// <summary>The vectors mapped row by row (e.g. through a trained head).</summary>
    public LabeledVectors Map(Action<ReadOnlySpan<float>, Span<float>> map, int outputDimensions)
    {
        var output = new float[Count * outputDimensions];
        for (var i = 0; i < Count; i++) map(this[i], output.AsSpan(i * outputDimensions, outputDimensions));
        return new LabeledVectors(output, Labels, outputDimensions);
    }
}
