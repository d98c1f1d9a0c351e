namespace Visage.Training.Network;

/// <summary>
/// One layer on a batch stored row-major (<c>[batch, width]</c>). Forward in training mode keeps what backward
/// needs; backward adds parameter gradients into the <see cref="ParameterSet"/> and writes the input gradient.
/// </summary>
internal interface ILayer
{
    /// <summary>Input width.</summary>
    int Inputs { get; }

    /// <summary>Output width.</summary>
    int Outputs { get; }

    /// <summary>Computes <paramref name="output"/> from <paramref name="input"/>.</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training);

    /// <summary>
    /// Given the forward pass's input and output and the loss gradient of the output, accumulates parameter gradients
    /// and writes the loss gradient of the input (overwriting <paramref name="inputGradient"/>).
    /// </summary>
    void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch);
}
