using Visage.Training.Loss;
using Visage.Training.Network;

namespace Visage.Training.Tests;

public sealed class HeadNetworkTests
{
    private const int D = Synthetic.D;

    public static TheoryData<bool, bool> Shapes => new() { { false, true }, { true, true }, { false, false } };

    /// <summary>
    /// Every parameter's analytic gradient against a central difference of the loss, through L2 normalization, the
    /// residual, ReLU and batch norm in training mode, with the mined triplets held fixed and a margin so large that
    /// every hinge is open (so the loss is smooth where it is probed).
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gradients_match_finite_differences(bool residual, bool batchNorm)
    {
        var network = new HeadNetwork(new HeadArchitecture([6, 5], residual, batchNorm), seed: 11);
        if (residual) // the zero-initialized last layer would hide the gradients of the layers before it
        {
            var rng0 = new Random(12);
            var values = network.Parameters.Values;
            for (var i = 0; i < values.Length; i++) values[i] += (float)(rng0.NextDouble() - 0.5) * 0.2f;
        }
        const int batch = 8;
        var rng = new Random(5);
        var input = Synthetic.Gaussian(rng, batch * D);
        int[] labels = [0, 0, 1, 1, 2, 2, 3, 3];
        var loss = new TripletLoss(margin: 8f, MiningStrategy.SemiHard);
        var output = new float[batch * D];
        var gradient = new float[batch * D];

        network.Forward(input, batch, training: true, output);
        loss.Compute(output, D, labels, gradient);
        network.Parameters.ZeroGradients();
        network.Backward(gradient, batch);
        var analytic = network.Parameters.Gradients.ToArray();

        // With every hinge open the loss is mean(|a-p|² - |a-n|²) + margin: summed here in double, without the
        // constant, so that float rounding of the total does not drown the differences.
        double LossAt()
        {
            network.Forward(input, batch, training: true, output);
            double total = 0;
            foreach (var (a, pos, neg) in loss.Triplets)
                for (var k = 0; k < D; k++)
                {
                    double ap = output[a * D + k] - output[pos * D + k], an = output[a * D + k] - output[neg * D + k];
                    total += ap * ap - an * an;
                }
            return total / loss.Triplets.Count;
        }

        var p = network.Parameters.Values;
        var worst = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            const float h = 1e-3f;
            var saved = p[i];
            p[i] = saved + h;
            var up = LossAt();
            p[i] = saved - h;
            var down = LossAt();
            p[i] = saved;
            var numeric = (up - down) / (2 * h);
            var error = Math.Abs(numeric - analytic[i]) / Math.Max(1e-2, Math.Abs(numeric) + Math.Abs(analytic[i]));
            worst = Math.Max(worst, error);
        }
        Assert.True(worst < 1e-2, $"worst relative gradient error {worst}");
        Assert.Contains(analytic, g => Math.Abs(g) > 1e-3); // the check is not vacuous
    }

    [Fact]
    public void An_untrained_residual_head_is_the_normalized_input()
    {
        var network = new HeadNetwork(HeadArchitecture.Default, seed: 1);
        var input = Synthetic.Gaussian(new Random(2), 3 * D);
        var output = new float[3 * D];

        network.Forward(input, 3, training: false, output);

        for (var n = 0; n < 3; n++)
        {
            var row = input.AsSpan(n * D, D);
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
            for (var i = 0; i < D; i++) Assert.Equal(row[i] / norm, output[n * D + i], 5);
        }
    }

    [Fact]
    public void Same_seed_same_weights_and_the_default_has_about_200k_parameters()
    {
        var a = new HeadNetwork(new HeadArchitecture([512, 256], Residual: false), seed: 3);
        var b = new HeadNetwork(new HeadArchitecture([512, 256], Residual: false), seed: 3);
        var c = new HeadNetwork(new HeadArchitecture([512, 256], Residual: false), seed: 4);

        Assert.Equal(a.Parameters.Values, b.Parameters.Values);
        Assert.NotEqual(a.Parameters.Values, c.Parameters.Values);
        // 128x512 + 512x256 + 256x128 weights, 128 biases, gamma and beta for 512 and 256.
        Assert.Equal(65536 + 131072 + 32768 + 128 + 2 * (512 + 256), a.Parameters.Count);
    }

    [Fact]
    public void Adam_moves_each_value_by_the_learning_rate_on_its_first_step()
    {
        var network = new HeadNetwork(new HeadArchitecture([], Residual: false, BatchNorm: false), seed: 1);
        var before = network.Parameters.Values.ToArray();
        var g = network.Parameters.Gradients;
        for (var i = 0; i < g.Length; i++) g[i] = i % 3 == 0 ? 0.5f : -2f;
        var adam = new Optimization.AdamW(network.Parameters, learningRate: 0.01f, weightDecay: 0);

        adam.Step();

        // m-hat = g and v-hat = g², so the step is lr * g / |g| = ±lr.
        for (var i = 0; i < g.Length; i++) Assert.Equal(before[i] - 0.01f * MathF.Sign(g[i]), network.Parameters.Values[i], 5);
    }

    [Fact]
    public void Weight_decay_shrinks_weights_but_not_biases()
    {
        var network = new HeadNetwork(new HeadArchitecture([], Residual: false, BatchNorm: false), seed: 1);
        var values = network.Parameters.Values;
        values.AsSpan().Fill(1f);
        var adam = new Optimization.AdamW(network.Parameters, learningRate: 0.1f, weightDecay: 0.5f);

        adam.Step(); // zero gradients: only the decay acts

        Assert.Equal(0.95f, values[0], 6); // a weight: 1 - 0.1 * 0.5
        Assert.Equal(1f, values[^1]); // the last bias
    }
}
