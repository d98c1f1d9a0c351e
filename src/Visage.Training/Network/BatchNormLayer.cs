using System.Numerics.Tensors;

namespace Visage.Training.Network;

/// <summary>
/// Batch normalization (Ioffe and Szegedy 2015) over the batch, per feature: <c>y = gamma (x - mean) / sqrt(var + eps) + beta</c>.
/// Training uses the batch's statistics (biased variance) and updates running ones (unbiased variance, momentum 0.1,
/// as PyTorch); evaluation uses the running statistics, which makes the layer affine, so export folds it into the
/// preceding linear layer.
/// </summary>
internal sealed class BatchNormLayer : ILayer
{
    public const float Epsilon = 1e-5f;
    private const float Momentum = 0.1f;

    private readonly ParameterSet _parameters;
    private readonly int _gamma, _beta, _runningMean, _runningVar;
    private float[] _normalized = []; // x-hat of the last training batch
    private readonly float[] _inverseStd;
    private readonly float[] _scratch;
    private readonly float[] _evalScale;

    public BatchNormLayer(ParameterSet parameters, int width)
    {
        _parameters = parameters;
        Inputs = width;
        _gamma = parameters.Reserve(width, decay: false);
        _beta = parameters.Reserve(width, decay: false);
        _runningMean = parameters.ReserveState(width);
        _runningVar = parameters.ReserveState(width);
        _inverseStd = new float[width];
        _scratch = new float[width];
        _evalScale = new float[width];
    }

    public int Inputs { get; }

    public int Outputs => Inputs;

    public Span<float> Gamma => _parameters.Values.AsSpan(_gamma, Inputs);

    public Span<float> Beta => _parameters.Values.AsSpan(_beta, Inputs);

    public Span<float> RunningMean => _parameters.State.AsSpan(_runningMean, Inputs);

    public Span<float> RunningVariance => _parameters.State.AsSpan(_runningVar, Inputs);

    public void Initialize()
    {
        Gamma.Fill(1f);
        Beta.Clear();
        RunningMean.Clear();
        RunningVariance.Fill(1f);
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training)
    {
        var f = Inputs;
        Span<float> mean = _scratch;
        if (training)
        {
            if (_normalized.Length < batch * f) _normalized = new float[batch * f];
            mean.Clear();
            for (var n = 0; n < batch; n++) TensorPrimitives.Add(mean, input.Slice(n * f, f), mean);
            TensorPrimitives.Divide(mean, batch, mean);
            Span<float> variance = _inverseStd; // holds the variance until turned into 1/std below
            variance.Clear();
            for (var n = 0; n < batch; n++)
            {
                var centered = _normalized.AsSpan(n * f, f);
                TensorPrimitives.Subtract(input.Slice(n * f, f), mean, centered);
                TensorPrimitives.MultiplyAdd(centered, centered, variance, variance);
            }
            TensorPrimitives.Divide(variance, batch, variance);
            UpdateRunning(mean, variance, batch);
            for (var j = 0; j < f; j++) _inverseStd[j] = 1f / MathF.Sqrt(variance[j] + Epsilon);
            for (var n = 0; n < batch; n++)
            {
                var xhat = _normalized.AsSpan(n * f, f);
                TensorPrimitives.Multiply(xhat, _inverseStd, xhat);
                TensorPrimitives.MultiplyAdd(xhat, Gamma, Beta, output.Slice(n * f, f));
            }
            return;
        }

        // Evaluation: y = x * scale + shift with scale = gamma / sqrt(running var + eps), shift = beta - mean * scale.
        Span<float> scale = _evalScale; // not _inverseStd: a backward pass may still need it
        Span<float> shift = mean;
        for (var j = 0; j < f; j++)
        {
            scale[j] = Gamma[j] / MathF.Sqrt(RunningVariance[j] + Epsilon);
            shift[j] = Beta[j] - RunningMean[j] * scale[j];
        }
        for (var n = 0; n < batch; n++) TensorPrimitives.MultiplyAdd(input.Slice(n * f, f), scale, shift, output.Slice(n * f, f));
    }

    private void UpdateRunning(ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, int batch)
    {
        var unbiased = batch > 1 ? (float)batch / (batch - 1) : 1f;
        var runningMean = RunningMean;
        var runningVar = RunningVariance;
        for (var j = 0; j < Inputs; j++)
        {
            runningMean[j] = (1 - Momentum) * runningMean[j] + Momentum * mean[j];
            runningVar[j] = (1 - Momentum) * runningVar[j] + Momentum * variance[j] * unbiased;
        }
    }

    /// <summary>
    /// With x-hat and 1/std from the forward pass: dgamma = sum(dy x-hat), dbeta = sum(dy), and
    /// dx = (1/std) (dx-hat - mean(dx-hat) - x-hat mean(dx-hat x-hat)) where dx-hat = dy gamma.
    /// </summary>
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)
    {
        var f = Inputs;
        var dGamma = _parameters.Gradients.AsSpan(_gamma, f);
        var dBeta = _parameters.Gradients.AsSpan(_beta, f);
        Span<float> sumDy = stackalloc float[f];
        Span<float> sumDyXhat = stackalloc float[f];
        sumDy.Clear();
        sumDyXhat.Clear();
        for (var n = 0; n < batch; n++)
        {
            var dy = outputGradient.Slice(n * f, f);
            TensorPrimitives.Add(sumDy, dy, sumDy);
            TensorPrimitives.MultiplyAdd(dy, _normalized.AsSpan(n * f, f), sumDyXhat, sumDyXhat);
        }
        TensorPrimitives.Add(dGamma, sumDyXhat, dGamma);
        TensorPrimitives.Add(dBeta, sumDy, dBeta);

        // Per feature: dx = gamma / std * (dy - sum(dy) / B - x-hat * sum(dy x-hat) / B).
        Span<float> factor = stackalloc float[f];
        TensorPrimitives.Multiply(Gamma, _inverseStd, factor);
        TensorPrimitives.Divide(sumDy, batch, sumDy);
        TensorPrimitives.Divide(sumDyXhat, batch, sumDyXhat);
        for (var n = 0; n < batch; n++)
        {
            var dx = inputGradient.Slice(n * f, f);
            TensorPrimitives.Multiply(_normalized.AsSpan(n * f, f), sumDyXhat, dx);
            TensorPrimitives.Add(dx, sumDy, dx);
            TensorPrimitives.Subtract(outputGradient.Slice(n * f, f), dx, dx);
            TensorPrimitives.Multiply(dx, factor, dx);
        }
    }
}
