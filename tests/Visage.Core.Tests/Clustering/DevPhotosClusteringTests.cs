using Visage.Clustering;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Tests.Clustering;

/// <summary>
/// Clustering the subject face of every dev photo (../shared/data/faces) with the folder names hidden, then scoring
/// against them. Analyses come from the shared cache, so only the first run on a machine pays for detection.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class DevPhotosClusteringTests(ModelsFixture models)
{
    [Fact]
    public void Chinese_whispers_at_the_default_threshold_recovers_the_people()
    {
        using var analyzer = new FaceAnalyzer(null, models.Repository);
        var cache = new FaceAnalysisCache(FaceAnalysisCache.DefaultDirectory);
        var embeddings = new List<Visage.Faces.FaceEmbedding>();
        var truth = new List<int>();
        var people = PhotoFolder.People(TestData.Faces);
        var names = people.Select(p => p.Person).Distinct().ToList();
        foreach (var photo in people)
        {
            if (cache.Analyze(analyzer, new ImageDecoder(), photo.Path).Subject() is not { } face) continue;
            embeddings.Add(face.Embedding!);
            truth.Add(names.IndexOf(photo.Person));
        }

        var result = FaceClusterer.Cluster(embeddings);
        var score = ClusteringMetrics.Score(result.Labels, [.. truth]);

        // Measured: pairwise P 0.860 R 0.916 F1 0.887, BCubed F1 0.940, 36 clusters for 43 people (173 faces).
        Assert.True(score.PairwiseF1 > 0.85, $"pairwise F1 {score.PairwiseF1:0.000}");
        Assert.True(score.BCubedF1 > 0.9, $"BCubed F1 {score.BCubedF1:0.000}");
        Assert.InRange(score.Clusters, 30, 45);
    }
}
