using Visage.Gallery.Search.Compressed;

namespace Visage.Tests.Gallery;

/// <summary>The product quantizer's tables, codes and 8-bit tables against plain loops; k-means on separated clusters.</summary>
public sealed class ProductQuantizerTests
{
    private static float[] Random(Random rng, int n, float scale = 1) => Enumerable.Range(0, n).Select(_ => (float)(scale * (rng.NextDouble() * 2 - 1))).ToArray();

    private static ProductQuantizer Quantizer(Random rng) => new(Random(rng, 128 * ProductQuantizer.Centroids), 128);

    /// <summary>Centroid j of sub-quantizer m, from the codebook's layout (value t of centroid j at (m * 4 + t) * 16 + j).</summary>
    private static float[] Centroid(ProductQuantizer pq, int m, int j) =>
        Enumerable.Range(0, ProductQuantizer.SubWidth).Select(t => pq.Codebook[(m * ProductQuantizer.SubWidth + t) * ProductQuantizer.Centroids + j]).ToArray();

    private static float Squared(ReadOnlySpan<float> a, float[] b)
    {
        var sum = 0f;
        for (var i = 0; i < b.Length; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
        return sum;
    }

    [Fact]
    public void Table_holds_each_sub_vectors_squared_distance_to_each_centroid()
    {
        var rng = new Random(31);
        var pq = Quantizer(rng);
        var q = Random(rng, 128);
        var table = new float[32 * 16];
        pq.Table(q, table);
        for (var m = 0; m < 32; m++)
            for (var j = 0; j < 16; j++) Assert.Equal(Squared(q.AsSpan(4 * m, 4), Centroid(pq, m, j)), table[16 * m + j], 1e-5);

        var relative = new float[32 * 16];
        var bias = pq.RelativeTable(q, relative, out var spread);
        var mins = Enumerable.Range(0, 32).Select(m => table.Skip(16 * m).Take(16).Min()).ToArray();
        Assert.Equal(mins.Sum(), bias, 1e-4);
        Assert.Equal(Enumerable.Range(0, 32).Max(m => table.Skip(16 * m).Take(16).Max() - mins[m]), spread, 1e-5);
        for (var i = 0; i < table.Length; i++) Assert.Equal(table[i] - mins[i / 16], relative[i], 1e-5);
    }

    [Fact]
    public void Codes_name_the_nearest_centroid_and_decode_to_it()
    {
        var rng = new Random(32);
        var pq = Quantizer(rng);
        var v = Random(rng, 128);
        var codes = new byte[32];
        pq.Encode(v, codes);
        var decoded = new float[128];
        pq.Decode(codes, decoded);
        for (var m = 0; m < 32; m++)
        {
            var distances = Enumerable.Range(0, 16).Select(j => Squared(v.AsSpan(4 * m, 4), Centroid(pq, m, j))).ToArray();
            Assert.Equal(Array.IndexOf(distances, distances.Min()), codes[m]);
            Assert.Equal(Centroid(pq, m, codes[m]), decoded.Skip(4 * m).Take(4).ToArray());
        }
    }

    [Fact]
    public void An_8_bit_table_rounds_to_the_nearest_step_and_stops_at_255()
    {
        var table = Enumerable.Range(0, 64).Select(i => i * 0.37f).ToArray();
        var bytes = new byte[64];
        ProductQuantizer.Quantize(table, 0.1f, bytes);
        for (var i = 0; i < 64; i++) Assert.Equal(Math.Min(255, (int)Math.Round(table[i] / 0.1f, MidpointRounding.AwayFromZero)), bytes[i]);
    }

    [Fact]
    public void KMeans_converges_to_the_means_of_its_clusters_and_is_seeded()
    {
        var rng = new Random(33);
        var centers = Enumerable.Range(0, 8).Select(_ => Random(rng, 16, 10)).ToArray();
        var rows = Enumerable.Range(0, 800).SelectMany(i => centers[i % 8].Select(c => c + (float)(0.5 * (rng.NextDouble() - 0.5)))).ToArray();
        var found = KMeans.Train(rows, 16, 8, iterations: 20, seed: 5, threads: 2);
        Assert.Equal(found, KMeans.Train(rows, 16, 8, iterations: 20, seed: 5, threads: 1));
        // Lloyd's fixed point: every centroid is the mean of the rows nearest to it, and none is left without rows.
        var nearest = new int[800];
        new CentroidPanels(found, 8, 16).Nearest(CentroidKernel.Scalar, rows, nearest);
        for (var c = 0; c < 8; c++)
        {
            var members = Enumerable.Range(0, 800).Where(i => nearest[i] == c).ToList();
            Assert.NotEmpty(members);
            for (var d = 0; d < 16; d++) Assert.Equal(members.Average(i => rows[i * 16 + d]), found[c * 16 + d], 1e-3);
        }
    }
}
