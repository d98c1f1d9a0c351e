using System.Numerics.Tensors;

namespace Visage.Training.Network;

/// <summary>
/// <c>y = W x + b</c> with <c>W</c> row-major <c>[outputs, inputs]</c> (the layout <see cref="Embedding.DenseLayer"/>
/// uses), optional bias (left out before batch norm, which would cancel it).
/// </summary>
internal sealed class LinearLayer : ILayer
{
    private readonly ParameterSet _parameters;
    private readonly int _weights;
    private readonly int _bias; // -1: no bias

    public LinearLayer(ParameterSet parameters, int inputs, int outputs, bool bias)
    {
        _parameters = parameters;
        Inputs = inputs;
        Outputs = outputs;
        _weights = parameters.Reserve(inputs * outputs, decay: true);
        _bias = bias ? parameters.Reserve(outputs, decay: false) : -1;
    }

    public int Inputs { get; }

    public int Outputs { get; }

    public Span<float> Weights => _parameters.Values.AsSpan(_weights, Inputs * Outputs);

    public Span<float> Bias => _bias < 0 ? [] : _parameters.Values.AsSpan(_bias, Outputs);

    /// <summary>Uniform in ±sqrt(6 / fan-in) (He et al. for a following ReLU) or ±sqrt(6 / (fan-in + fan-out)) (Glorot), or zeros; bias zero.</summary>
    public void Initialize(Random random, LinearInit init)
    {
        var limit = init switch
        {
            LinearInit.He => MathF.Sqrt(6f / Inputs),
            LinearInit.Glorot => MathF.Sqrt(6f / (Inputs + Outputs)),
            _ => 0f,
        };
        var w = Weights;
        for (var i = 0; i < w.Length; i++) w[i] = (float)(random.NextDouble() * 2 - 1) * limit;
        Bias.Clear();
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training)
    {
        ReadOnlySpan<float> w = Weights;
        ReadOnlySpan<float> b = Bias;
        for (var n = 0; n < batch; n++)
        {
            var x = input.Slice(n * Inputs, Inputs);
            var y = output.Slice(n * Outputs, Outputs);
            for (var o = 0; o < Outputs; o++) y[o] = TensorPrimitives.Dot(w.Slice(o * Inputs, Inputs), x);
            if (!b.IsEmpty) TensorPrimitives.Add(y, b, y);
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)
    {
        ReadOnlySpan<float> w = Weights;
        var dw = _parameters.Gradients.AsSpan(_weights, Inputs * Outputs);
        var db = _bias < 0 ? [] : _parameters.Gradients.AsSpan(_bias, Outputs);
        inputGradient[..(batch * Inputs)].Clear();
        for (var n = 0; n < batch; n++)
        {
            var x = input.Slice(n * Inputs, Inputs);
            var dy = outputGradient.Slice(n * Outputs, Outputs);
            var dx = inputGradient.Slice(n * Inputs, Inputs);
            if (!db.IsEmpty) TensorPrimitives.Add(db, dy, db);
            for (var o = 0; o < Outputs; o++)
            {
                var g = dy[o];
                if (g == 0) continue; // ReLU and the hinge zero many gradients
                var dwRow = dw.Slice(o * Inputs, Inputs);
                TensorPrimitives.MultiplyAdd(x, g, dwRow, dwRow);
                TensorPrimitives.MultiplyAdd(w.Slice(o * Inputs, Inputs), g, dx, dx);
            }
        }
    }
}

/// <summary>How a linear layer's weights start.</summary>
internal enum LinearInit
{
    /// <summary>For a layer followed by ReLU.</summary>
    He,
    /// <summary>For a linear output.</summary>
    Glorot,
    /// <summary>All zero: a residual head then starts as the identity.</summary>
    Zero,
}
