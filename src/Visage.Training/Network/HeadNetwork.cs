using System.Numerics.Tensors;
using Visage.Embedding;

namespace Visage.Training.Network;

/// <summary>
/// The trainable projection head: forward and backward passes written on spans (no training library runs on this
/// machine), with every parameter in one <see cref="ParameterSet"/>. Exports to the core's <see cref="ProjectionHead"/>
/// with batch norm folded into the linear layers. Not thread-safe (it keeps the last batch's activations).
/// </summary>
public sealed class HeadNetwork
{
    private const int D = HeadArchitecture.Dimensions;
    private readonly List<ILayer> _layers = [];
    private readonly List<(LinearLayer Linear, BatchNormLayer? Norm, bool Relu)> _blocks = [];
    private float[][] _activations;
    private float[] _input = [];
    private float[] _preNorm = [];
    private float[] _norms = [];
    private float[] _output = [];
    private float[] _gradA = [], _gradB = [];
    private int _capacity;

    /// <summary>Builds the network and initializes it from <paramref name="seed"/> (He-uniform for ReLU layers).</summary>
    public HeadNetwork(HeadArchitecture architecture, int seed)
    {
        Architecture = architecture;
        var random = new Random(seed);
        var width = D;
        var inits = new List<(LinearLayer, LinearInit)>();
        foreach (var hidden in architecture.Hidden)
        {
            var linear = new LinearLayer(Parameters, width, hidden, bias: !architecture.BatchNorm);
            var norm = architecture.BatchNorm ? new BatchNormLayer(Parameters, hidden) : null;
            _layers.Add(linear);
            if (norm is not null) _layers.Add(norm);
            _layers.Add(new ReluLayer(hidden));
            _blocks.Add((linear, norm, true));
            inits.Add((linear, LinearInit.He));
            width = hidden;
        }
        var last = new LinearLayer(Parameters, width, D, bias: true);
        _layers.Add(last);
        _blocks.Add((last, null, false));
        inits.Add((last, architecture.Residual ? LinearInit.Zero : LinearInit.Glorot));

        Parameters.Allocate();
        foreach (var (linear, init) in inits) linear.Initialize(random, init);
        foreach (var (_, norm, _) in _blocks) norm?.Initialize();
        _activations = new float[_layers.Count][];
    }

    /// <summary>The shape.</summary>
    public HeadArchitecture Architecture { get; }

    /// <summary>Values, gradients and state.</summary>
    public ParameterSet Parameters { get; } = new();

    /// <summary>
    /// Maps a batch of descriptors (<c>[batch, 128]</c>) to unit vectors. In training mode batch norm uses the
    /// batch's statistics and the activations are kept for <see cref="Backward"/>.
    /// </summary>
    public void Forward(ReadOnlySpan<float> input, int batch, bool training, Span<float> output)
    {
        EnsureCapacity(batch);
        input[..(batch * D)].CopyTo(_input);
        ReadOnlySpan<float> x = _input.AsSpan(0, batch * D);
        for (var k = 0; k < _layers.Count; k++)
        {
            var y = _activations[k].AsSpan(0, batch * _layers[k].Outputs);
            _layers[k].Forward(x, y, batch, training);
            x = y;
        }
        var pre = _preNorm.AsSpan(0, batch * D);
        if (Architecture.Residual) TensorPrimitives.Add(x, _input.AsSpan(0, batch * D), pre);
        else x.CopyTo(pre);
        for (var n = 0; n < batch; n++)
        {
            var row = pre.Slice(n * D, D);
            var norm = MathF.Max(TensorPrimitives.Norm(row), 1e-12f);
            _norms[n] = norm;
            TensorPrimitives.Divide(row, norm, _output.AsSpan(n * D, D));
        }
        _output.AsSpan(0, batch * D).CopyTo(output);
    }

    /// <summary>
    /// Adds the gradients of the loss to <see cref="ParameterSet.Gradients"/>, given the loss gradient of the last
    /// training-mode <see cref="Forward"/>'s output. The input (the frozen backbone's descriptor) gets no gradient.
    /// </summary>
    public void Backward(ReadOnlySpan<float> outputGradient, int batch)
    {
        // Through the L2 normalization u = p / |p|: dp = (du - u (u . du)) / |p|.
        var dPre = _gradA.AsSpan(0, batch * D);
        for (var n = 0; n < batch; n++)
        {
            var u = _output.AsSpan(n * D, D);
            var du = outputGradient.Slice(n * D, D);
            var dp = dPre.Slice(n * D, D);
            var dot = TensorPrimitives.Dot(u, du);
            TensorPrimitives.MultiplyAdd(u, -dot, du, dp);
            TensorPrimitives.Divide(dp, _norms[n], dp);
        }
        // The residual adds the input, which is constant: the last layer's output gradient is dPre either way.
        float[] dy = _gradA, dx = _gradB;
        for (var k = _layers.Count - 1; k >= 0; k--)
        {
            var layer = _layers[k];
            ReadOnlySpan<float> input = k == 0 ? _input : _activations[k - 1];
            layer.Backward(input[..(batch * layer.Inputs)], _activations[k].AsSpan(0, batch * layer.Outputs),
                dy.AsSpan(0, batch * layer.Outputs), dx.AsSpan(0, batch * layer.Inputs), batch);
            (dy, dx) = (dx, dy);
        }
    }

    /// <summary>
    /// The network in evaluation mode as a core <see cref="ProjectionHead"/>: each batch norm becomes the affine map of
    /// its running statistics, folded into the linear layer before it.
    /// </summary>
    public ProjectionHead Export(string baseModelId, float? threshold = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var dense = new List<DenseLayer>();
        foreach (var (linear, norm, relu) in _blocks)
        {
            var weights = linear.Weights.ToArray();
            var bias = linear.Bias.IsEmpty ? new float[linear.Outputs] : linear.Bias.ToArray();
            if (norm is not null)
            {
                for (var o = 0; o < linear.Outputs; o++)
                {
                    var scale = norm.Gamma[o] / MathF.Sqrt(norm.RunningVariance[o] + BatchNormLayer.Epsilon);
                    TensorPrimitives.Multiply(weights.AsSpan(o * linear.Inputs, linear.Inputs), scale, weights.AsSpan(o * linear.Inputs, linear.Inputs));
                    bias[o] = (bias[o] - norm.RunningMean[o]) * scale + norm.Beta[o];
                }
            }
            dense.Add(new DenseLayer(linear.Inputs, linear.Outputs, weights, bias, relu));
        }
        return new ProjectionHead(baseModelId, dense, Architecture.Residual, threshold, metadata);
    }

    private void EnsureCapacity(int batch)
    {
        if (batch <= _capacity) return;
        _capacity = batch;
        for (var k = 0; k < _layers.Count; k++) _activations[k] = new float[batch * _layers[k].Outputs];
        var widest = Math.Max(D, _layers.Max(l => l.Outputs));
        _input = new float[batch * D];
        _preNorm = new float[batch * D];
        _output = new float[batch * D];
        _norms = new float[batch];
        _gradA = new float[batch * widest];
        _gradB = new float[batch * widest];
    }
}
