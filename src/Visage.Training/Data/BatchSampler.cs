namespace Visage.Training.Data;

/// <summary>
/// "P x K" batches (Hermans et al. 2017): P identities, up to K photos of each, so every batch holds positives for
/// every anchor. One epoch visits every identity with at least two photos once, in a seeded random order.
/// </summary>
public sealed class BatchSampler
{
    private readonly int[][] _byIdentity;
    private readonly int _identitiesPerBatch;
    private readonly int _perIdentity;
    private readonly Random _random;

    /// <summary>A sampler over <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two identities have two or more photos.</exception>
    public BatchSampler(IReadOnlyList<int> labels, int identitiesPerBatch, int perIdentity, Random random)
    {
        _byIdentity = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).Where(g => g.Count() >= 2)
            .OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        if (_byIdentity.Length < 2) throw new ArgumentException("training needs at least two people with two or more photos each");
        _identitiesPerBatch = Math.Clamp(identitiesPerBatch, 2, _byIdentity.Length);
        _perIdentity = Math.Max(2, perIdentity);
        _random = random;
    }

    /// <summary>The batches of one epoch (row indices).</summary>
    public IEnumerable<int[]> Epoch()
    {
        var order = Enumerable.Range(0, _byIdentity.Length).ToArray();
        _random.Shuffle(order);
        // A last batch with a single identity has no negatives: fold the remainder into the previous batch.
        var batches = Math.Max(1, order.Length / _identitiesPerBatch);
        for (var b = 0; b < batches; b++)
        {
            var end = b == batches - 1 ? order.Length : (b + 1) * _identitiesPerBatch;
            var batch = new List<int>();
            for (var k = b * _identitiesPerBatch; k < end; k++)
            {
                var photos = (int[])_byIdentity[order[k]].Clone();
                _random.Shuffle(photos);
                batch.AddRange(photos.Take(_perIdentity));
            }
            yield return [.. batch];
        }
    }
}
