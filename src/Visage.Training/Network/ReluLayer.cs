using System.Numerics.Tensors;

namespace Visage.Training.Network;

/// <summary><c>y = max(x, 0)</c>; the gradient passes where the input was positive.</summary>
internal sealed class ReluLayer(int width) : ILayer
{
    public int Inputs => width;

    public int Outputs => width;

    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training) =>
        TensorPrimitives.Max(input[..(batch * width)], 0f, output);

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)
    {
        for (var i = 0; i < batch * width; i++) inputGradient[i] = input[i] > 0 ? outputGradient[i] : 0f;
    }
}
