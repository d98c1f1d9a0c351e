namespace Visage.Clustering;

/// <summary>
/// DBSCAN on a precomputed eps-neighborhood graph. Nodes are visited in index order, so the result (including which
/// cluster a border node shared by two clusters joins: the first to reach it) is deterministic.
/// </summary>
internal static class Dbscan
{
    /// <summary>A cluster number per node, or -1 for noise.</summary>
    public static int[] Run(FaceGraph graph, int minPoints)
    {
        const int unvisited = -2, noise = -1;
        var n = graph.NodeCount;
        var labels = new int[n];
        Array.Fill(labels, unvisited);
        var queue = new Queue<int>();
        var cluster = 0;
        for (var p = 0; p < n; p++)
        {
            if (labels[p] != unvisited) continue;
            if (!IsCore(graph, p, minPoints))
            {
                labels[p] = noise;
                continue;
            }
            labels[p] = cluster;
            queue.Enqueue(p);
            while (queue.TryDequeue(out var q))
            {
                // Only cores spread the cluster; border nodes join it but stop there.
                if (!IsCore(graph, q, minPoints)) continue;
                foreach (var r in graph.Neighbors(q))
                {
                    if (labels[r] == noise) labels[r] = cluster;
                    else if (labels[r] == unvisited)
                    {
                        labels[r] = cluster;
                        queue.Enqueue(r);
                    }
                }
            }
            cluster++;
        }
        return labels;
    }

    private static bool IsCore(FaceGraph graph, int node, int minPoints) => graph.Neighbors(node).Length + 1 >= minPoints;
}
