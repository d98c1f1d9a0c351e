using System.Numerics.Tensors;
using Visage.Training.Network;

namespace Visage.Training.Optimization;

/// <summary>
/// Adam (Kingma and Ba 2015) with decoupled weight decay (Loshchilov and Hutter 2019, AdamW): each step moves a
/// value by <c>lr (m-hat / (sqrt(v-hat) + eps) + wd w)</c>, the decay only on weight matrices.
/// </summary>
public sealed class AdamW
{
    private readonly ParameterSet _parameters;
    private readonly float[] _m, _v, _step;
    private int _t;

    /// <summary>An optimizer for one parameter set.</summary>
    public AdamW(ParameterSet parameters, float learningRate = 1e-3f, float weightDecay = 1e-4f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        _parameters = parameters;
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _m = new float[parameters.Count];
        _v = new float[parameters.Count];
        _step = new float[parameters.Count];
    }

    /// <summary>Step size.</summary>
    public float LearningRate { get; set; }

    /// <summary>Decoupled weight decay per unit of learning rate.</summary>
    public float WeightDecay { get; }

    /// <summary>First-moment decay.</summary>
    public float Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the root of the second moment.</summary>
    public float Epsilon { get; }

    /// <summary>Updates the values from the current gradients.</summary>
    public void Step()
    {
        _t++;
        var values = _parameters.Values.AsSpan();
        ReadOnlySpan<float> g = _parameters.Gradients;
        // Decay first, from the values before this step's update, as AdamW does.
        foreach (var (offset, count) in _parameters.Decayed)
        {
            var w = values.Slice(offset, count);
            TensorPrimitives.Multiply(w, 1 - LearningRate * WeightDecay, w);
        }
        TensorPrimitives.Multiply(_m, Beta1, _m);
        TensorPrimitives.MultiplyAdd(g, 1 - Beta1, _m, _m);
        TensorPrimitives.Multiply(_v, Beta2, _v);
        TensorPrimitives.Multiply(g, g, _step);
        TensorPrimitives.MultiplyAdd(_step, 1 - Beta2, _v, _v);

        var correction1 = 1 - MathF.Pow(Beta1, _t);
        var correction2 = 1 - MathF.Pow(Beta2, _t);
        // step = lr * (m / c1) / (sqrt(v / c2) + eps)
        TensorPrimitives.Divide(_v, correction2, _step);
        TensorPrimitives.Sqrt(_step, _step);
        TensorPrimitives.Add(_step, Epsilon, _step);
        TensorPrimitives.Divide(_m, _step, _step);
        TensorPrimitives.Multiply(_step, LearningRate / correction1, _step);
        TensorPrimitives.Subtract(values, _step, values);
    }
}
