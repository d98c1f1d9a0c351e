namespace Visage.Clustering;

/// <summary>How well a clustering matches known identities.</summary>
/// <param name="Items">Faces scored.</param>
/// <param name="Clusters">Predicted clusters (unclustered faces not counted).</param>
/// <param name="Unclustered">Faces in no cluster (each scored as a cluster of its own).</param>
/// <param name="Classes">True identities among the scored faces.</param>
/// <param name="PairwisePrecision">Of the face pairs put in one cluster, the share that are one person (1 when no pair was put together).</param>
/// <param name="PairwiseRecall">Of the face pairs of one person, the share put in one cluster (1 when no person has two faces).</param>
/// <param name="PairwiseF1">Harmonic mean of the two.</param>
/// <param name="BCubedPrecision">Mean over faces of the share of its cluster (itself included) that is its person (Bagga and Baldwin 1998).</param>
/// <param name="BCubedRecall">Mean over faces of the share of its person's faces that are in its cluster.</param>
/// <param name="BCubedF1">Harmonic mean of the two.</param>
public sealed record ClusteringScore(int Items, int Clusters, int Unclustered, int Classes,
    double PairwisePrecision, double PairwiseRecall, double PairwiseF1,
    double BCubedPrecision, double BCubedRecall, double BCubedF1);

/// <summary>External clustering metrics: pairwise precision/recall/F1 and BCubed.</summary>
public static class ClusteringMetrics
{
    /// <summary>Scores predicted cluster labels against true identity labels.</summary>
    /// <param name="predicted">Cluster per face; negative = unclustered, scored as a singleton cluster.</param>
    /// <param name="truth">Identity per face (any ints).</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static ClusteringScore Score(ReadOnlySpan<int> predicted, ReadOnlySpan<int> truth)
    {
        if (predicted.Length != truth.Length) throw new ArgumentException($"{predicted.Length} predictions for {truth.Length} labels");
        var n = predicted.Length;
        // Singletons get labels that cannot collide with real clusters.
        var clusterOf = new long[n];
        for (var i = 0; i < n; i++) clusterOf[i] = predicted[i] >= 0 ? predicted[i] : -1L - i;

        var clusterSizes = new Dictionary<long, int>();
        var classSizes = new Dictionary<int, int>();
        var cells = new Dictionary<(long, int), int>();
        for (var i = 0; i < n; i++)
        {
            clusterSizes[clusterOf[i]] = clusterSizes.GetValueOrDefault(clusterOf[i]) + 1;
            classSizes[truth[i]] = classSizes.GetValueOrDefault(truth[i]) + 1;
            cells[(clusterOf[i], truth[i])] = cells.GetValueOrDefault((clusterOf[i], truth[i])) + 1;
        }

        double together = 0, samePerson = 0, both = 0, bPrecision = 0, bRecall = 0;
        foreach (var size in clusterSizes.Values) together += Pairs(size);
        foreach (var size in classSizes.Values) samePerson += Pairs(size);
        foreach (var ((cluster, person), count) in cells)
        {
            both += Pairs(count);
            bPrecision += (double)count * count / clusterSizes[cluster];
            bRecall += (double)count * count / classSizes[person];
        }

        var precision = together == 0 ? 1 : both / together;
        var recall = samePerson == 0 ? 1 : both / samePerson;
        var bp = n == 0 ? 1 : bPrecision / n;
        var br = n == 0 ? 1 : bRecall / n;
        var clusters = clusterSizes.Keys.Count(k => k >= 0);
        var unclustered = n - clusterSizes.Where(kv => kv.Key >= 0).Sum(kv => kv.Value);
        return new ClusteringScore(n, clusters, unclustered, classSizes.Count, precision, recall, F1(precision, recall), bp, br, F1(bp, br));
    }

    private static double Pairs(int size) => size * (size - 1) / 2.0;

    private static double F1(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);
}
