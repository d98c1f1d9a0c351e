using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Visage.Faces;

namespace Visage.Embedding;

/// <summary>
/// A trained projection head: a small MLP applied to the recognition net's 128-d descriptor, whose output is
/// L2-normalized (so distances lie in [0, 2]). With <see cref="Residual"/>, the MLP's output is added to its input
/// before normalizing, so a head whose last layer is zero is the plain normalized descriptor. Batch norm is folded
/// into the dense layers at export, so applying a head is a few dot products per face and needs no training library.
/// Immutable and thread-safe.
/// </summary>
public sealed class ProjectionHead
{
    private readonly DenseLayer[] _layers;
    private readonly int _widest;

    /// <summary>Assembles a head from its layers.</summary>
    /// <param name="baseModelId">The embedding space the head was trained on (see <see cref="EmbeddingModel.Id"/>).</param>
    /// <param name="layers">Dense layers in order; the first takes 128 inputs and the last gives 128 outputs.</param>
    /// <param name="residual">Add the input to the last layer's output before normalizing.</param>
    /// <param name="threshold">Same-person distance calibrated for this head's space, if known.</param>
    /// <param name="metadata">Free-form facts about the training run (written to the head file).</param>
    /// <exception cref="ArgumentException">The layers do not chain from 128 to 128 inputs.</exception>
    public ProjectionHead(string baseModelId, IReadOnlyList<DenseLayer> layers, bool residual, float? threshold = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseModelId);
        if (layers.Count == 0) throw new ArgumentException("a head needs at least one layer", nameof(layers));
        var width = FaceEmbedding.Dimensions;
        foreach (var layer in layers)
        {
            if (layer.Inputs != width) throw new ArgumentException($"layer expects {layer.Inputs} inputs, the previous gives {width}", nameof(layers));
            width = layer.Outputs;
        }
        if (width != FaceEmbedding.Dimensions) throw new ArgumentException($"the last layer gives {width} values, a descriptor has {FaceEmbedding.Dimensions}", nameof(layers));
        BaseModelId = baseModelId;
        _layers = [.. layers];
        _widest = layers.Max(l => l.Outputs);
        Residual = residual;
        Threshold = threshold;
        Metadata = metadata ?? new Dictionary<string, string>();
        Id = ComputeId();
    }

    /// <summary>The embedding space the head takes as input.</summary>
    public string BaseModelId { get; }

    /// <summary>The dense layers, in order.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>Whether the input is added to the MLP's output (see the class remarks).</summary>
    public bool Residual { get; }

    /// <summary>Same-person Euclidean distance calibrated on held-out identities when the head was trained, if known.</summary>
    public float? Threshold { get; }

    /// <summary>Facts about the training run (data, epochs, loss), for people reading the head file.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>First 12 hex digits of the SHA-256 of the weights: two heads that project differently never share an id.</summary>
    public string Id { get; }

    /// <summary>The id of the vectors this head produces: <see cref="BaseModelId"/> plus <c>+head.</c><see cref="Id"/>.</summary>
    public string ModelId => EmbeddingModel.WithHead(BaseModelId, Id);

    /// <summary>Number of weights and biases.</summary>
    public int ParameterCount => _layers.Sum(l => l.Weights.Length + l.Bias.Length);

    /// <summary>Projects one descriptor into the head's space.</summary>
    /// <exception cref="ArgumentException">The embedding is not from <see cref="BaseModelId"/>.</exception>
    public FaceEmbedding Project(FaceEmbedding embedding)
    {
        if (embedding.ModelId != BaseModelId)
            throw new ArgumentException($"the head projects descriptors of '{BaseModelId}', this one is from '{embedding.ModelId}'", nameof(embedding));
        var output = new float[FaceEmbedding.Dimensions];
        Apply(embedding.Vector, output);
        return new FaceEmbedding(output, ModelId);
    }

    /// <summary>Applies the head to one 128-d vector.</summary>
    /// <exception cref="ArgumentException">A span is not 128 long.</exception>
    public void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != FaceEmbedding.Dimensions || output.Length != FaceEmbedding.Dimensions)
            throw new ArgumentException($"a head maps {FaceEmbedding.Dimensions} values to {FaceEmbedding.Dimensions}");
        var scratch = ArrayPool<float>.Shared.Rent(2 * _widest);
        try
        {
            var current = scratch.AsSpan(0, _widest);
            var next = scratch.AsSpan(_widest, _widest);
            input.CopyTo(current);
            var width = input.Length;
            foreach (var layer in _layers)
            {
                var x = current[..width];
                var y = next[..layer.Outputs];
                for (var o = 0; o < layer.Outputs; o++)
                    y[o] = TensorPrimitives.Dot(layer.Weights.AsSpan(o * layer.Inputs, layer.Inputs), x) + layer.Bias[o];
                if (layer.Relu) TensorPrimitives.Max(y, 0f, y);
                width = layer.Outputs;
                var swap = current;
                current = next;
                next = swap;
            }
            if (Residual) TensorPrimitives.Add(current[..width], input, output);
            else current[..width].CopyTo(output);
            Normalize(output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Scales a vector to unit length; an all-zero vector stays zero.</summary>
    public static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
    }

    private string ComputeId()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([Residual ? (byte)1 : (byte)0]);
        foreach (var layer in _layers)
        {
            hash.AppendData(BitConverter.GetBytes(layer.Inputs));
            hash.AppendData(BitConverter.GetBytes(layer.Outputs));
            hash.AppendData([layer.Relu ? (byte)1 : (byte)0]);
            hash.AppendData(MemoryMarshal.AsBytes(layer.Weights.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(layer.Bias.AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }
}
