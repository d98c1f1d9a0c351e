using Visage.Clustering;
using Visage.Faces;

namespace Visage.Tests.Clustering;

public sealed class FaceClustererTests
{
    /// <summary>Points around (cx, cy) in the first two dimensions, at most <paramref name="spread"/> from it.</summary>
    private static List<FaceEmbedding> Blob(float cx, float cy, int count, float spread, Random rng) =>
        Enumerable.Range(0, count).Select(_ => Vectors.Embed(Vectors.At(
            cx + (float)(rng.NextDouble() * 2 - 1) * spread / 2,
            cy + (float)(rng.NextDouble() * 2 - 1) * spread / 2))).ToList();

    public static TheoryData<ClusteringAlgorithm> Algorithms => new() { ClusteringAlgorithm.ChineseWhispers, ClusteringAlgorithm.Dbscan };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Separated_blobs_become_clusters_and_a_stray_face_stays_unclustered(ClusteringAlgorithm algorithm)
    {
        var rng = new Random(1);
        var faces = Blob(0, 0, 6, 0.3f, rng).Concat(Blob(5, 0, 4, 0.3f, rng)).Concat(Blob(0, 5, 3, 0.3f, rng)).ToList();
        faces.Add(Vectors.Embed(Vectors.At(10, 10)));

        var result = FaceClusterer.Cluster(faces, new ClusteringOptions { Algorithm = algorithm });

        Assert.Equal([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9], [10, 11, 12]], result.Clusters);
        Assert.Equal([13], result.Unclustered);
        Assert.Equal(-1, result.Labels[13]);
        Assert.Equal(1, result.Labels[7]);
    }

    [Fact]
    public void Chinese_whispers_keeps_two_groups_apart_across_one_stray_link_where_dbscan_merges_them()
    {
        // Six faces near (0, 0), four near (0.55, 0): no links between the groups, but the sixth face of the first
        // group sits at (0.1, 0), under 0.5 from every face of the second.
        var faces = new List<FaceEmbedding>();
        for (var i = 0; i < 5; i++) faces.Add(Vectors.Embed(Vectors.At(-0.01f * i, 0.01f * i)));
        faces.Add(Vectors.Embed(Vectors.At(0.1f, 0)));
        for (var i = 0; i < 4; i++) faces.Add(Vectors.Embed(Vectors.At(0.55f + 0.01f * i, 0.01f * i)));
        var cw = FaceClusterer.Cluster(faces);
        var dbscan = FaceClusterer.Cluster(faces, new ClusteringOptions { Algorithm = ClusteringAlgorithm.Dbscan });

        Assert.Equal(15 + 6 + 4, cw.EdgeCount);
        Assert.Equal(2, cw.Clusters.Count);
        Assert.Single(dbscan.Clusters);
    }

    [Fact]
    public void Same_seed_gives_the_same_clusters()
    {
        var rng = new Random(2);
        var faces = Enumerable.Range(0, 60).Select(_ => Vectors.Embed(Vectors.Random(rng, FaceEmbedding.Dimensions).Select(v => v * 0.04f).ToArray())).ToList();
        var options = new ClusteringOptions { Threshold = 0.35f, Seed = 7 };

        var first = FaceClusterer.Cluster(faces, options);
        var second = FaceClusterer.Cluster(faces, options);

        Assert.Equal(first.Labels, second.Labels);
    }

    [Fact]
    public void Descriptors_of_two_models_are_refused()
    {
        var faces = new[] { Vectors.Embed(Vectors.At(0, 0), "a"), Vectors.Embed(Vectors.At(0, 0), "b") };

        Assert.Throws<ArgumentException>(() => FaceClusterer.Cluster(faces));
    }

    [Fact]
    public void No_faces_give_no_clusters()
    {
        var result = FaceClusterer.Cluster([]);

        Assert.Empty(result.Clusters);
        Assert.Empty(result.Unclustered);
    }

    [Fact]
    public void Graph_links_pairs_under_the_threshold_only()
    {
        float[] vectors = [0, 0, 0.4f, 0, 0.8f, 0, 5, 5];

        var graph = FaceGraph.Build(vectors, 2, 0.5f);

        Assert.Equal(2, graph.EdgeCount);
        Assert.Equal([1], graph.Neighbors(0).ToArray());
        Assert.Equal([0, 2], graph.Neighbors(1).ToArray());
        Assert.Empty(graph.Neighbors(3).ToArray());
    }

    [Fact]
    public void Invalid_options_throw() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FaceClusterer.Cluster([], new ClusteringOptions { Threshold = 0 }));
}
