namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// Lloyd's k-means on rows held back to back: seeded, so the same rows give the same centroids. Rows are assigned with
/// <see cref="CentroidPanels"/> on all threads asked for; an emptied cluster takes half of the largest one (its centre
/// nudged both ways, as FAISS does), so every centroid ends up used.
/// </summary>
internal static class KMeans
{
    // Relative nudge that splits a large cluster to refill an empty one.
    private const float SplitNudge = 1f / 1024;

    /// <summary><paramref name="k"/> centroids (back to back) of <paramref name="rows"/>.</summary>
    /// <exception cref="ArgumentException">Fewer rows than centroids.</exception>
    public static float[] Train(ReadOnlySpan<float> rows, int width, int k, int iterations, int seed, int threads)
    {
        var count = rows.Length / width;
        if (count < k) throw new ArgumentException($"{count} rows cannot make {k} centroids");
        var rng = new Random(seed);
        var centroids = new float[k * width];
        // Distinct rows to start from: a partial Fisher-Yates shuffle of the row numbers.
        var order = Enumerable.Range(0, count).ToArray();
        for (var c = 0; c < k; c++)
        {
            var pick = rng.Next(c, count);
            (order[c], order[pick]) = (order[pick], order[c]);
            rows.Slice(order[c] * width, width).CopyTo(centroids.AsSpan(c * width, width));
        }
        var assigned = new int[count];
        var sums = new double[k * width];
        var sizes = new int[k];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            new CentroidPanels(centroids, k, width).Nearest(CentroidKernels.Choice.Current, rows, assigned, threads);
            Array.Clear(sums);
            Array.Clear(sizes);
            for (var i = 0; i < count; i++)
            {
                var c = assigned[i];
                sizes[c]++;
                var row = rows.Slice(i * width, width);
                for (var d = 0; d < width; d++) sums[c * width + d] += row[d];
            }
            for (var c = 0; c < k; c++)
                if (sizes[c] > 0)
                    for (var d = 0; d < width; d++) centroids[c * width + d] = (float)(sums[c * width + d] / sizes[c]);
            Refill(centroids, sizes, width, rng);
        }
        return centroids;
    }

    private static void Refill(float[] centroids, int[] sizes, int width, Random rng)
    {
        for (var empty = 0; empty < sizes.Length; empty++)
        {
            if (sizes[empty] > 0) continue;
            var large = 0;
            for (var c = 1; c < sizes.Length; c++) if (sizes[c] > sizes[large]) large = c;
            for (var d = 0; d < width; d++)
            {
                var v = centroids[large * width + d];
                var sign = rng.Next(2) == 0 ? 1 : -1;
                centroids[empty * width + d] = v * (1 + sign * SplitNudge);
                centroids[large * width + d] = v * (1 - sign * SplitNudge);
            }
            sizes[empty] = sizes[large] / 2;
            sizes[large] -= sizes[empty];
        }
    }
}
