namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// The inverted file's coarse centroids: every vector belongs to the list of its nearest centroid, and a query visits
/// the lists of its nearest few (<see cref="Probe"/>). Immutable.
/// </summary>
internal sealed class CoarseQuantizer
{
    // Lloyd iterations for the coarse centroids (measured: recall stops improving after about 10).
    private const int TrainingIterations = 12;

    private readonly float[] _centroids;
    private readonly CentroidPanels _panels;

    /// <summary>A quantizer from its centroids (back to back).</summary>
    public CoarseQuantizer(float[] centroids, int width)
    {
        if (centroids.Length == 0 || centroids.Length % width != 0) throw new ArgumentException($"{centroids.Length} values are not whole centroids of {width}");
        _centroids = centroids;
        Width = width;
        Lists = centroids.Length / width;
        _panels = new CentroidPanels(centroids, Lists, width);
    }

    /// <summary>Values per vector.</summary>
    public int Width { get; }

    /// <summary>Number of lists (centroids).</summary>
    public int Lists { get; }

    /// <summary>Scores per query (padding included) that <see cref="Probe"/> needs room for.</summary>
    public int ScoreLength => _panels.Padded;

    /// <summary>The centroids, for saving.</summary>
    public ReadOnlySpan<float> Centroids => _centroids;

    /// <summary>Learns <paramref name="lists"/> centroids from <paramref name="rows"/>.</summary>
    public static CoarseQuantizer Train(ReadOnlySpan<float> rows, int width, int lists, int seed, int threads) =>
        new(KMeans.Train(rows, width, lists, TrainingIterations, seed, threads), width);

    /// <summary>The centroid of a list.</summary>
    public ReadOnlySpan<float> Centroid(int list) => _centroids.AsSpan(list * Width, Width);

    /// <summary>The list of each row (its nearest centroid).</summary>
    public void Assign(ReadOnlySpan<float> rows, Span<int> lists, int threads) => _panels.Nearest(CentroidKernels.Choice.Current, rows, lists, threads);

    /// <summary>
    /// The <paramref name="lists"/>.Length lists nearest to <paramref name="query"/>, nearest first (equals by list
    /// number); <paramref name="scores"/> is scratch of <see cref="ScoreLength"/>.
    /// </summary>
    /// <returns>How many lists were written (fewer when there are fewer lists).</returns>
    public int Probe(ReadOnlySpan<float> query, Span<int> lists, Span<float> scores)
    {
        _panels.Score(CentroidKernels.Choice.Current, query, scores);
        var take = Math.Min(lists.Length, Lists);
        // Insertion into a sorted run of the best so far: after the first lists, almost every score fails the first compare.
        var found = 0;
        for (var list = 0; list < Lists; list++)
        {
            var score = scores[list];
            if (found == take && !(score < scores[lists[found - 1]])) continue;
            var i = found < take ? found++ : found - 1;
            while (i > 0 && score < scores[lists[i - 1]])
            {
                lists[i] = lists[i - 1];
                i--;
            }
            lists[i] = list;
        }
        return found;
    }
}
