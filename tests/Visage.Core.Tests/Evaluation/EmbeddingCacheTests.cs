using Visage.Evaluation;

namespace Visage.Tests.Evaluation;

public sealed class EmbeddingCacheTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-eval-cache-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Entries_survive_a_reopen_and_a_torn_last_line_is_skipped()
    {
        var face = new CachedFace(2, "ssd-border", 0.9f, [1, 2, 3, 4], null, Enumerable.Range(0, 128).Select(i => i / 128f).ToArray());
        var cache = new EmbeddingCache(_dir.FullName, "key");
        cache.Add("aa", face);
        cache.Add("bb", new CachedFace(0, Error: "not an image"));
        File.AppendAllText(cache.FilePath, "{\"hash\":\"cc\",\"face\":{\"facesFou");

        var reopened = new EmbeddingCache(_dir.FullName, "key");

        Assert.Equal(2, reopened.Count);
        Assert.True(reopened.TryGet("aa", out var a));
        Assert.Equal(("ssd-border", 2), (a.Stage, a.FacesFound));
        Assert.Equal(face.Embedding, a.Embedding);
        Assert.True(reopened.TryGet("bb", out var b));
        Assert.Null(b.Embedding);
        Assert.False(reopened.TryGet("cc", out _));
        Assert.Equal(0, new EmbeddingCache(_dir.FullName, "other").Count);

        // The next entry after a torn line starts a line of its own.
        reopened.Add("dd", face);
        Assert.True(new EmbeddingCache(_dir.FullName, "key").TryGet("dd", out _));
    }
}
