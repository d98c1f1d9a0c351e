namespace Visage.Models;

/// <summary>
/// Convolution weights in ONNX layout (<c>[out, in/group, kh, kw]</c>) with one bias per output channel,
/// converted from TensorFlow's HWIO layout; the place where batch norms and scale layers are folded in.
/// </summary>
/// <param name="Weight">Filter values, OIHW row-major.</param>
/// <param name="Dims">Filter dimensions <c>[out, in/group, kh, kw]</c>.</param>
/// <param name="Bias">One value per output channel.</param>
public sealed record ConvWeights(float[] Weight, long[] Dims, float[] Bias)
{
    /// <summary>Output channels.</summary>
    public int OutChannels => (int)Dims[0];

    /// <summary>From a TensorFlow conv filter <c>[kh, kw, in, out]</c>; a missing bias is zero.</summary>
    public static ConvWeights FromHwio(TfjsTensor filter, TfjsTensor? bias = null)
    {
        int kh = filter.Shape[0], kw = filter.Shape[1], cin = filter.Shape[2], cout = filter.Shape[3];
        var w = new float[filter.Data.Length];
        for (var y = 0; y < kh; y++)
            for (var x = 0; x < kw; x++)
                for (var i = 0; i < cin; i++)
                    for (var o = 0; o < cout; o++)
                        w[((o * cin + i) * kh + y) * kw + x] = filter.Data[((y * kw + x) * cin + i) * cout + o];
        return new ConvWeights(w, [cout, cin, kh, kw], BiasOrZero(bias, cout));
    }

    /// <summary>From a TensorFlow depthwise filter <c>[kh, kw, C, 1]</c>: ONNX <c>[C, 1, kh, kw]</c>, used with <c>group = C</c>.</summary>
    public static ConvWeights FromDepthwise(TfjsTensor filter, TfjsTensor? bias = null)
    {
        int kh = filter.Shape[0], kw = filter.Shape[1], c = filter.Shape[2];
        if (filter.Shape[3] != 1) throw new InvalidDataException($"{filter.Name}: depthwise multiplier {filter.Shape[3]} is not 1");
        var w = new float[filter.Data.Length];
        for (var y = 0; y < kh; y++)
            for (var x = 0; x < kw; x++)
                for (var ch = 0; ch < c; ch++)
                    w[(ch * kh + y) * kw + x] = filter.Data[(y * kw + x) * c + ch];
        return new ConvWeights(w, [c, 1, kh, kw], BiasOrZero(bias, c));
    }

    /// <summary>
    /// Folds a per-channel affine map that follows the conv, <c>y' = y * scale + shift</c>, into the weights:
    /// <c>W' = W * scale</c>, <c>b' = b * scale + shift</c>.
    /// </summary>
    public ConvWeights ThenAffine(ReadOnlySpan<float> scale, ReadOnlySpan<float> shift)
    {
        var per = Weight.Length / OutChannels;
        var w = (float[])Weight.Clone();
        var b = new float[OutChannels];
        for (var o = 0; o < OutChannels; o++)
        {
            for (var k = 0; k < per; k++) w[o * per + k] *= scale[o];
            b[o] = Bias[o] * scale[o] + shift[o];
        }
        return this with { Weight = w, Bias = b };
    }

    /// <summary>
    /// Folds an inference batch norm that follows the conv: <c>k = gamma / sqrt(var + eps)</c>,
    /// <c>W' = W * k</c>, <c>b' = (b - mean) * k + beta</c>.
    /// </summary>
    public ConvWeights ThenBatchNorm(TfjsTensor mean, TfjsTensor variance, TfjsTensor beta, TfjsTensor gamma, double epsilon)
    {
        var k = new float[OutChannels];
        var shift = new float[OutChannels];
        for (var o = 0; o < OutChannels; o++)
        {
            k[o] = (float)(gamma.Data[o] / Math.Sqrt(variance.Data[o] + epsilon));
            shift[o] = beta.Data[o] - mean.Data[o] * k[o];
        }
        return ThenAffine(k, shift);
    }

    private static float[] BiasOrZero(TfjsTensor? bias, int count)
    {
        if (bias is null) return new float[count];
        if (bias.Data.Length != count) throw new InvalidDataException($"{bias.Name}: {bias.Data.Length} biases for {count} channels");
        return (float[])bias.Data.Clone();
    }
}
