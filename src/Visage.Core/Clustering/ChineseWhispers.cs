namespace Visage.Clustering;

/// <summary>
/// Chinese whispers as dlib runs it (<c>dlib/clustering/chinese_whispers.h</c>): every node starts with its own
/// label; <c>iterations x nodes</c> times a random node takes the label that is most frequent among its neighbors
/// and itself (dlib's face example links each face to itself), ties going to the smallest label. Edges are unweighted.
/// </summary>
internal static class ChineseWhispers
{
    /// <summary>A label per node (labels are node indices, not contiguous).</summary>
    public static int[] Run(FaceGraph graph, int iterations, Random random)
    {
        var n = graph.NodeCount;
        var labels = new int[n];
        for (var i = 0; i < n; i++) labels[i] = i;
        if (n == 0) return labels;

        // Per-label counts with a list of the touched labels, so a step costs its degree and allocates nothing.
        var counts = new int[n];
        var touched = new int[n];
        long steps = (long)iterations * n;
        for (long step = 0; step < steps; step++)
        {
            var node = random.Next(n);
            var neighbors = graph.Neighbors(node);
            if (neighbors.IsEmpty) continue; // only itself: keeps its own label
            var used = 0;
            touched[used++] = labels[node];
            counts[labels[node]] = 1;
            foreach (var m in neighbors)
            {
                var label = labels[m];
                if (counts[label]++ == 0) touched[used++] = label;
            }
            int best = -1, bestCount = 0;
            for (var k = 0; k < used; k++)
            {
                var label = touched[k];
                if (counts[label] > bestCount || (counts[label] == bestCount && label < best))
                {
                    best = label;
                    bestCount = counts[label];
                }
                counts[label] = 0;
            }
            labels[node] = best;
        }
        return labels;
    }
}
