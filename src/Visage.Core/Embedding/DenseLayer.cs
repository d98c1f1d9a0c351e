namespace Visage.Embedding;

/// <summary>
/// One fully connected layer of a projection head: <c>y = W x + b</c>, then ReLU when <see cref="Relu"/> is set.
/// <see cref="Weights"/> is row-major <c>[Outputs, Inputs]</c>, so output <c>o</c> is a dot product with row <c>o</c>.
/// </summary>
public sealed class DenseLayer
{
    /// <summary>Wraps trained weights (not copied).</summary>
    /// <exception cref="ArgumentException">A size is not positive or an array does not match the sizes.</exception>
    public DenseLayer(int inputs, int outputs, float[] weights, float[] bias, bool relu)
    {
        if (inputs <= 0 || outputs <= 0) throw new ArgumentException($"layer size {inputs}x{outputs} is empty");
        if (weights.Length != checked(inputs * outputs)) throw new ArgumentException($"a {inputs}->{outputs} layer has {inputs * outputs} weights, got {weights.Length}");
        if (bias.Length != outputs) throw new ArgumentException($"a {inputs}->{outputs} layer has {outputs} biases, got {bias.Length}");
        Inputs = inputs;
        Outputs = outputs;
        Weights = weights;
        Bias = bias;
        Relu = relu;
    }

    /// <summary>Input width.</summary>
    public int Inputs { get; }

    /// <summary>Output width.</summary>
    public int Outputs { get; }

    /// <summary>Row-major <c>[Outputs, Inputs]</c>.</summary>
    public float[] Weights { get; }

    /// <summary>One bias per output.</summary>
    public float[] Bias { get; }

    /// <summary>Whether a ReLU follows the affine map.</summary>
    public bool Relu { get; }
}
