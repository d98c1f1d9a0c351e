using Visage.Faces;

namespace Visage.Clustering;

/// <summary>
/// Groups unlabeled faces into people: builds the graph of faces closer than the threshold, then runs Chinese
/// whispers or DBSCAN on it. Pure and deterministic for a given seed, so a web handler can call it on the faces it has.
/// </summary>
public static class FaceClusterer
{
    /// <summary>Clusters descriptors, which must all come from one model.</summary>
    /// <exception cref="ArgumentException">The descriptors come from more than one model.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static ClusteringResult Cluster(IReadOnlyList<FaceEmbedding> embeddings, ClusteringOptions? options = null)
    {
        var vectors = new float[embeddings.Count * FaceEmbedding.Dimensions];
        for (var i = 0; i < embeddings.Count; i++)
        {
            if (embeddings[i].ModelId != embeddings[0].ModelId)
                throw new ArgumentException($"cannot cluster descriptors of model '{embeddings[0].ModelId}' with descriptors of model '{embeddings[i].ModelId}'", nameof(embeddings));
            embeddings[i].Vector.CopyTo(vectors, i * FaceEmbedding.Dimensions);
        }
        return Cluster(vectors, FaceEmbedding.Dimensions, options);
    }

    /// <summary>Clusters vectors stored one after another, each <paramref name="dimensions"/> long.</summary>
    /// <exception cref="ArgumentException">The buffer is not a whole number of vectors.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static ClusteringResult Cluster(ReadOnlySpan<float> vectors, int dimensions, ClusteringOptions? options = null)
    {
        options ??= new ClusteringOptions();
        options.Validate();
        var graph = FaceGraph.Build(vectors, dimensions, options.Threshold, options.Metric);
        var raw = options.Algorithm == ClusteringAlgorithm.Dbscan
            ? Dbscan.Run(graph, options.MinPoints)
            : ChineseWhispers.Run(graph, options.Iterations, new Random(options.Seed));
        return Group(raw, options.MinClusterSize, graph.EdgeCount);
    }

    /// <summary>Turns raw labels (any ints, negative = noise) into ordered clusters and the unclustered rest.</summary>
    internal static ClusteringResult Group(int[] raw, int minClusterSize, int edgeCount)
    {
        var members = new Dictionary<int, List<int>>();
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] < 0) continue;
            if (!members.TryGetValue(raw[i], out var list)) members[raw[i]] = list = [];
            list.Add(i);
        }
        var clusters = members.Values.Where(m => m.Count >= minClusterSize)
            .OrderByDescending(m => m.Count).ThenBy(m => m[0])
            .Select(m => m.ToArray()).ToList();
        var labels = new int[raw.Length];
        Array.Fill(labels, -1);
        for (var c = 0; c < clusters.Count; c++)
            foreach (var i in clusters[c]) labels[i] = c;
        var unclustered = Enumerable.Range(0, raw.Length).Where(i => labels[i] < 0).ToArray();
        return new ClusteringResult(labels, clusters, unclustered, edgeCount);
    }
}
