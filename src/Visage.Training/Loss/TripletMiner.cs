namespace Visage.Training.Loss;

/// <summary>Which triplets of a batch the loss trains on.</summary>
public enum MiningStrategy
{
    /// <summary>
    /// Every anchor-positive pair, with the closest negative that is farther than the positive (Schroff et al. 2015,
    /// FaceNet; the choice TensorFlow Addons' <c>triplet_semihard_loss</c> makes); when every negative is closer,
    /// the farthest one, since hardest negatives early on collapse the embedding.
    /// </summary>
    SemiHard,

    /// <summary>Per anchor, its farthest positive and its closest negative (Hermans et al. 2017).</summary>
    BatchHard,

    /// <summary>Every valid triplet (for validation: no choice that depends on the current model).</summary>
    All,
}

/// <summary>An anchor, a face of the same person, and a face of someone else (indices into a batch).</summary>
/// <param name="Anchor">The anchor.</param>
/// <param name="Positive">Same identity as the anchor.</param>
/// <param name="Negative">Another identity.</param>
public readonly record struct Triplet(int Anchor, int Positive, int Negative);

/// <summary>Online triplet mining within a batch, on the matrix of squared distances.</summary>
public static class TripletMiner
{
    /// <summary>Squared Euclidean distances between all rows of <paramref name="embeddings"/> (<c>[batch, dimensions]</c>) into <c>[batch, batch]</c>.</summary>
    public static void SquaredDistances(ReadOnlySpan<float> embeddings, int batch, int dimensions, Span<float> distances)
    {
        for (var i = 0; i < batch; i++)
        {
            distances[i * batch + i] = 0;
            var a = embeddings.Slice(i * dimensions, dimensions);
            for (var j = i + 1; j < batch; j++)
            {
                var d = System.Numerics.Tensors.TensorPrimitives.Distance(a, embeddings.Slice(j * dimensions, dimensions));
                distances[i * batch + j] = distances[j * batch + i] = d * d;
            }
        }
    }

    /// <summary>Appends the triplets of <paramref name="strategy"/> to <paramref name="triplets"/> (cleared first).</summary>
    /// <param name="distances">Squared distances, <c>[batch, batch]</c>.</param>
    /// <param name="labels">Identity per batch row.</param>
    /// <param name="strategy">How to choose.</param>
    /// <param name="triplets">Receives the triplets.</param>
    public static void Mine(ReadOnlySpan<float> distances, ReadOnlySpan<int> labels, MiningStrategy strategy, List<Triplet> triplets)
    {
        triplets.Clear();
        var batch = labels.Length;
        for (var a = 0; a < batch; a++)
        {
            var row = distances.Slice(a * batch, batch);
            if (strategy == MiningStrategy.BatchHard)
            {
                int positive = -1, negative = -1;
                for (var j = 0; j < batch; j++)
                {
                    if (j == a) continue;
                    if (labels[j] == labels[a]) { if (positive < 0 || row[j] > row[positive]) positive = j; }
                    else if (negative < 0 || row[j] < row[negative]) negative = j;
                }
                if (positive >= 0 && negative >= 0) triplets.Add(new Triplet(a, positive, negative));
                continue;
            }
            for (var p = 0; p < batch; p++)
            {
                if (p == a || labels[p] != labels[a]) continue;
                if (strategy == MiningStrategy.All)
                {
                    for (var n = 0; n < batch; n++)
                        if (labels[n] != labels[a]) triplets.Add(new Triplet(a, p, n));
                    continue;
                }
                int semiHard = -1, farthest = -1;
                for (var n = 0; n < batch; n++)
                {
                    if (labels[n] == labels[a]) continue;
                    if (row[n] > row[p] && (semiHard < 0 || row[n] < row[semiHard])) semiHard = n;
                    if (farthest < 0 || row[n] > row[farthest]) farthest = n;
                }
                var negative = semiHard >= 0 ? semiHard : farthest;
                if (negative >= 0) triplets.Add(new Triplet(a, p, negative));
            }
        }
    }
}
