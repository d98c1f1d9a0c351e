namespace Visage.Faces;

/// <summary>
/// A face descriptor: 128 floats from the recognition net (same person = small Euclidean distance), tagged with
/// the id of the model and alignment that produced it. Vectors of different model ids are never compared.
/// </summary>
public sealed class FaceEmbedding
{
    /// <summary>Length of every descriptor.</summary>
    public const int Dimensions = 128;

    /// <summary>Wraps a vector.</summary>
    /// <exception cref="ArgumentException">The vector is not 128 long.</exception>
    public FaceEmbedding(float[] vector, string modelId)
    {
        if (vector.Length != Dimensions) throw new ArgumentException($"an embedding has {Dimensions} values, got {vector.Length}");
        Vector = vector;
        ModelId = modelId;
    }

    /// <summary>The 128 values (not normalized).</summary>
    public float[] Vector { get; }

    /// <summary>Which network, alignment and projection produced the vector.</summary>
    public string ModelId { get; }
}
