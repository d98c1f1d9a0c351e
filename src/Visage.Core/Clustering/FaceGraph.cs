using Visage.Matching;

namespace Visage.Clustering;

/// <summary>
/// The undirected graph of faces closer than a threshold, in compressed sparse rows: node <c>i</c>'s neighbors are
/// <c>Targets[Offsets[i] .. Offsets[i + 1]]</c>, in increasing order, without self-loops.
/// </summary>
public sealed class FaceGraph
{
    private readonly int[] _offsets;
    private readonly int[] _targets;

    private FaceGraph(int[] offsets, int[] targets)
    {
        _offsets = offsets;
        _targets = targets;
    }

    /// <summary>Number of faces.</summary>
    public int NodeCount => _offsets.Length - 1;

    /// <summary>Number of undirected edges.</summary>
    public int EdgeCount => _targets.Length / 2;

    /// <summary>The neighbors of a node, ascending.</summary>
    public ReadOnlySpan<int> Neighbors(int node) => _targets.AsSpan(_offsets[node], _offsets[node + 1] - _offsets[node]);

    /// <summary>Links every pair of vectors whose distance is below <paramref name="threshold"/> (all pairs: O(n²) distances).</summary>
    /// <param name="vectors">The vectors, one after another, each <paramref name="dimensions"/> long.</param>
    /// <param name="dimensions">Length of each vector.</param>
    /// <param name="threshold">Pairs strictly closer than this are linked.</param>
    /// <param name="metric">The distance.</param>
    /// <exception cref="ArgumentException">The buffer is not a whole number of vectors.</exception>
    public static FaceGraph Build(ReadOnlySpan<float> vectors, int dimensions, float threshold, DistanceMetric metric = DistanceMetric.Euclidean)
    {
        if (dimensions <= 0 || vectors.Length % dimensions != 0)
            throw new ArgumentException($"{vectors.Length} values are not a whole number of {dimensions}-d vectors", nameof(vectors));
        var n = vectors.Length / dimensions;
        var from = new List<int>();
        var to = new List<int>();
        var degree = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            var a = vectors.Slice(i * dimensions, dimensions);
            for (var j = i + 1; j < n; j++)
            {
                if (!(FaceDistance.Compute(metric, a, vectors.Slice(j * dimensions, dimensions)) < threshold)) continue;
                from.Add(i);
                to.Add(j);
                degree[i]++;
                degree[j]++;
            }
        }

        var offsets = new int[n + 1];
        for (var i = 0; i < n; i++) offsets[i + 1] = offsets[i] + degree[i];
        var targets = new int[offsets[n]];
        var fill = offsets[..n]; // a copy: the next free slot of each row
        for (var e = 0; e < from.Count; e++)
        {
            targets[fill[from[e]]++] = to[e];
            targets[fill[to[e]]++] = from[e];
        }
        for (var i = 0; i < n; i++) Array.Sort(targets, offsets[i], offsets[i + 1] - offsets[i]);
        return new FaceGraph(offsets, targets);
    }
}
