using Visage.Embedding;
using Visage.Imaging;
using Visage.Pipeline;
using Visage.Tests.Embedding;

namespace Visage.Tests.Pipeline;

/// <summary>The analyzer with a projection head, the analysis cache, and embedding faces found earlier.</summary>
[Collection(ModelsCollection.Name)]
public sealed class HeadAndCacheTests(ModelsFixture models) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-cache-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void The_head_projects_every_descriptor_into_its_own_space()
    {
        var image = new ImageDecoder().DecodeFile(TestImages.Sample1);
        using var plain = new FaceAnalyzer(null, models.Repository);
        var head = ProjectionHeadTests.RandomHead(plain.BaseModelId, residual: true);
        using var projected = new FaceAnalyzer(new FaceAnalyzerOptions { Embedding = new EmbeddingOptions { Head = head } }, models.Repository);

        var before = plain.Analyze(image).Faces;
        var after = projected.Analyze(image).Faces;

        Assert.Equal(plain.ModelId, plain.BaseModelId);
        Assert.Equal(head.ModelId, projected.ModelId);
        Assert.NotEmpty(after);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < after.Count; i++)
        {
            Assert.Equal(head.ModelId, after[i].Embedding!.ModelId);
            Assert.Equal(head.Project(before[i].Embedding!).Vector, after[i].Embedding!.Vector);
        }
    }

    [Fact]
    public void A_head_trained_on_another_space_is_refused() =>
        Assert.Throws<ArgumentException>(() => new FaceAnalyzer(
            new FaceAnalyzerOptions { Embedding = new EmbeddingOptions { Head = ProjectionHeadTests.RandomHead("face_recognition_model@1.7.15/faceapi", residual: false) } }, models.Repository));

    [Fact]
    public void The_cache_answers_the_second_time_with_the_same_faces_and_serves_any_head()
    {
        var cache = new FaceAnalysisCache(_dir.FullName);
        using var plain = new FaceAnalyzer(null, models.Repository);
        var head = ProjectionHeadTests.RandomHead(plain.BaseModelId, residual: true);
        using var projected = new FaceAnalyzer(new FaceAnalyzerOptions { Embedding = new EmbeddingOptions { Head = head } }, models.Repository);

        var first = cache.Analyze(plain, new ImageDecoder(), TestImages.Sample1);
        var second = cache.Analyze(plain, new ImageDecoder(), TestImages.Sample1);
        var withHead = cache.Analyze(projected, new ImageDecoder(), TestImages.Sample1);

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.True(withHead.FromCache);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(first.Faces.Count, second.Faces.Count);
        for (var i = 0; i < first.Faces.Count; i++)
        {
            Assert.Equal(first.Faces[i].Box, second.Faces[i].Box);
            Assert.Equal(first.Faces[i].Landmarks!.Points, second.Faces[i].Landmarks!.Points);
            Assert.Equal(first.Faces[i].Embedding!.Vector, second.Faces[i].Embedding!.Vector);
            Assert.Equal(head.Project(first.Faces[i].Embedding!).Vector, withHead.Faces[i].Embedding!.Vector);
        }
    }

    [Fact]
    public void A_damaged_cache_entry_is_analyzed_again()
    {
        var cache = new FaceAnalysisCache(_dir.FullName);
        using var analyzer = new FaceAnalyzer(null, models.Repository);
        cache.Analyze(analyzer, new ImageDecoder(), TestImages.Sample1);
        foreach (var entry in Directory.EnumerateFiles(_dir.FullName, "*.json", SearchOption.AllDirectories)) File.WriteAllText(entry, "{broken");

        var again = cache.Analyze(analyzer, new ImageDecoder(), TestImages.Sample1);

        Assert.False(again.FromCache);
        Assert.NotEmpty(again.Faces);
    }

    [Fact]
    public void Embedding_stored_faces_from_their_landmarks_gives_the_analyzer_descriptors()
    {
        var image = new ImageDecoder().DecodeFile(TestImages.Sample1);
        using var analyzer = new FaceAnalyzer(null, models.Repository);
        var found = analyzer.Analyze(image).Faces;
        var stripped = found.Select(f => f with { Embedding = null }).ToList();

        var embedded = analyzer.Embed(image, stripped);

        for (var i = 0; i < found.Count; i++) Assert.Equal(found[i].Embedding!.Vector, embedded[i].Embedding!.Vector);
    }
}
