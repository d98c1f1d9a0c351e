using Visage.Enrollment;
using Visage.Faces;
using Visage.Gallery.Storage;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Tests.Enrollment;

/// <summary>
/// Probable mislabels among a person's faces, on the dev photos' real descriptors: the set as labeled raises few flags,
/// and a photo of someone else filed under a person with a few photos is flagged.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class MislabelCheckTests(ModelsFixture models)
{
    private static long _id;

    private static Dictionary<string, List<StoredFace>> Faces(ModelsFixture models)
    {
        using var analyzer = new FaceAnalyzer(models: models.Repository);
        var cache = new FaceAnalysisCache(FaceAnalysisCache.DefaultDirectory);
        var decoder = new ImageDecoder();
        var persons = new Dictionary<string, List<StoredFace>>();
        foreach (var dir in Directory.GetDirectories(TestData.Faces).Order(StringComparer.Ordinal))
            persons[Path.GetFileName(dir)] = [.. Directory.GetFiles(dir, "*.jpg").Order(StringComparer.Ordinal)
                .Select(f => cache.Analyze(analyzer, decoder, f).Subject())
                .OfType<Face>()
                .Select(f => Stored(Path.GetFileName(dir).GetHashCode(), f))];
        return persons;
    }

    private static StoredFace Stored(long person, Face face) =>
        new(Interlocked.Increment(ref _id), person, new string('0', 64), face.Box, face.Landmarks, face.Embedding!, DateTime.UtcNow);

    [Fact]
    public void The_dev_set_as_labeled_raises_few_flags_and_another_persons_photo_is_flagged()
    {
        var persons = Faces(models);
        var flagged = persons.SelectMany(p => MislabelCheck.Check(p.Value).Select(s => $"{p.Key}: {s.Reason}")).ToList();
        var faces = persons.Sum(p => p.Value.Count);
        Console.WriteLine($"{flagged.Count} of {faces} faces flagged:\n{string.Join('\n', flagged)}");
        Assert.True(flagged.Count <= faces / 50, $"{flagged.Count} of {faces} faces flagged:\n{string.Join('\n', flagged)}");

        // Every person with at least three photos gets one photo of the next such person: that photo is flagged.
        var hosts = persons.Where(p => p.Value.Count >= 3).ToList();
        var caught = 0;
        var missed = new List<string>();
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i].Value;
            var intruder = hosts[(i + 1) % hosts.Count].Value[0];
            var mixed = host.Append(intruder with { Id = Interlocked.Increment(ref _id), PersonId = host[0].PersonId }).ToList();
            var suspects = MislabelCheck.Check(mixed);
            if (suspects.Any(s => s.FaceId == mixed[^1].Id)) caught++;
            else missed.Add($"{hosts[(i + 1) % hosts.Count].Key} among {hosts[i].Key}");
            Assert.All(suspects, s => Assert.Contains("probably someone else", s.Reason));
        }
        Console.WriteLine($"{caught} of {hosts.Count} intruders flagged; missed: {string.Join(", ", missed)}");
        Assert.True(caught >= hosts.Count * 9 / 10, $"{caught} of {hosts.Count} intruders flagged");
    }

    [Fact]
    public void One_face_says_nothing_two_that_disagree_are_both_flagged_and_mixed_lists_are_refused()
    {
        var a = Stored(1, new Face(default, 1, null, new FaceEmbedding(Vectors.At(0, 0), Vectors.Model)));
        var near = Stored(1, new Face(default, 1, null, new FaceEmbedding(Vectors.At(0.3f, 0), Vectors.Model)));
        var far = Stored(1, new Face(default, 1, null, new FaceEmbedding(Vectors.At(1.2f, 0), Vectors.Model)));
        Assert.Empty(MislabelCheck.Check([a]));
        Assert.Empty(MislabelCheck.Check([a, near]));
        var pair = MislabelCheck.Check([a, far]);
        Assert.Equal([a.Id, far.Id], pair.Select(s => s.FaceId));
        Assert.Contains("two faces are 1.20 apart", pair[0].Reason);
        Assert.Throws<ArgumentException>(() => MislabelCheck.Check([a, far with { PersonId = 2 }]));
    }
}
