namespace Visage.Training.Loss;

/// <summary>The loss of one batch.</summary>
/// <param name="Loss">Mean over the mined triplets of <c>max(d(a,p) - d(a,n) + margin, 0)</c> (0 when there are none).</param>
/// <param name="Triplets">Triplets mined.</param>
/// <param name="Active">Triplets with a positive loss (the ones that train).</param>
public readonly record struct TripletLossResult(float Loss, int Triplets, int Active);

/// <summary>
/// Triplet loss on squared Euclidean distances: <c>max(|a-p|² - |a-n|² + margin, 0)</c>, averaged over the mined
/// triplets. The mining is a choice, not a function to differentiate: gradients flow through the chosen distances.
/// </summary>
public sealed class TripletLoss(float margin, MiningStrategy strategy)
{
    private readonly List<Triplet> _triplets = [];
    private float[] _distances = [];

    /// <summary>The margin.</summary>
    public float Margin { get; } = margin;

    /// <summary>The mining strategy.</summary>
    public MiningStrategy Strategy { get; } = strategy;

    /// <summary>The triplets of the last <see cref="Compute"/>.</summary>
    public IReadOnlyList<Triplet> Triplets => _triplets;

    /// <summary>Mines triplets in the batch and computes the loss and, when <paramref name="gradient"/> is not empty, its gradient with respect to the embeddings.</summary>
    /// <param name="embeddings">The batch, <c>[labels.Length, dimensions]</c>.</param>
    /// <param name="dimensions">Width of an embedding.</param>
    /// <param name="labels">Identity per row.</param>
    /// <param name="gradient">Receives dLoss/dEmbeddings (overwritten), or empty to skip.</param>
    public TripletLossResult Compute(ReadOnlySpan<float> embeddings, int dimensions, ReadOnlySpan<int> labels, Span<float> gradient)
    {
        var batch = labels.Length;
        if (_distances.Length < batch * batch) _distances = new float[batch * batch];
        var distances = _distances.AsSpan(0, batch * batch);
        TripletMiner.SquaredDistances(embeddings, batch, dimensions, distances);
        TripletMiner.Mine(distances, labels, Strategy, _triplets);
        return Evaluate(embeddings, dimensions, distances, gradient);
    }

    /// <summary>The loss (and gradient) of the triplets already chosen, e.g. to check gradients with the choice held fixed.</summary>
    internal TripletLossResult Evaluate(ReadOnlySpan<float> embeddings, int dimensions, ReadOnlySpan<float> distances, Span<float> gradient)
    {
        var batch = (int)Math.Sqrt(distances.Length);
        if (!gradient.IsEmpty) gradient[..(batch * dimensions)].Clear();
        if (_triplets.Count == 0) return new TripletLossResult(0, 0, 0);
        double total = 0;
        var active = 0;
        var scale = 2f / _triplets.Count;
        foreach (var (a, p, n) in _triplets)
        {
            var hinge = distances[a * batch + p] - distances[a * batch + n] + Margin;
            if (hinge <= 0) continue;
            total += hinge;
            active++;
            if (gradient.IsEmpty) continue;
            // d/da = 2(n - p), d/dp = 2(p - a), d/dn = 2(a - n), each divided by the triplet count.
            var ea = embeddings.Slice(a * dimensions, dimensions);
            var ep = embeddings.Slice(p * dimensions, dimensions);
            var en = embeddings.Slice(n * dimensions, dimensions);
            var ga = gradient.Slice(a * dimensions, dimensions);
            var gp = gradient.Slice(p * dimensions, dimensions);
            var gn = gradient.Slice(n * dimensions, dimensions);
            for (var k = 0; k < dimensions; k++)
            {
                ga[k] += scale * (en[k] - ep[k]);
                gp[k] += scale * (ep[k] - ea[k]);
                gn[k] += scale * (ea[k] - en[k]);
            }
        }
        return new TripletLossResult((float)(total / _triplets.Count), _triplets.Count, active);
    }
}
