using Visage.Enrollment;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Tests.Gallery;

/// <summary>Decode-ahead, write-behind enrollment stores each photo's subject, as enrolling one photo at a time does, in order.</summary>
[Collection(ModelsCollection.Name)]
public sealed class PipelinedEnrollmentTests(ModelsFixture models) : IDisposable
{
    private readonly TempGallery _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_photo_gets_its_outcome_in_order_and_faces_match_one_by_one_subject_analysis()
    {
        var people = Directory.GetDirectories(TestData.Faces).Order(StringComparer.Ordinal).Take(3).ToList();
        var photos = people.SelectMany(p => Directory.GetFiles(p, "*.jpg").Order(StringComparer.Ordinal).Take(3).Select(f => (f, Path.GetFileName(p)))).ToList();
        var notAnImage = _temp.File("notes.jpg");
        File.WriteAllText(notAnImage, "not a photo");
        photos.Insert(2, (notAnImage, "nobody"));
        photos.Add((Path.Combine(TestData.NonFaces, Directory.GetFiles(TestData.NonFaces).Select(Path.GetFileName).Order(StringComparer.Ordinal).First(f => f!.EndsWith(".jpg") || f.EndsWith(".png"))!), "nobody"));
        using var analyzer = new FaceAnalyzer(models: models.Repository);
        using var gallery = FaceGallery.Open(_temp.DbPath, analyzer.ModelId);

        var outcomes = PipelinedEnrollment.Run(gallery, analyzer, photos);

        Assert.Equal(photos.Select(p => p.Item1), outcomes.Select(o => o.Path));
        Assert.IsType<ImageDecodeException>(outcomes[2].Error);
        var decoder = new ImageDecoder();
        for (var i = 0; i < photos.Count; i++)
        {
            if (i == 2) continue;
            var subject = analyzer.AnalyzeSubject(decoder.DecodeFile(photos[i].Item1));
            Assert.Equal(subject.FacesFound, outcomes[i].FacesFound);
            if (subject.Face is null || subject.Ambiguous)
            {
                Assert.Null(outcomes[i].Enrolled);
                continue;
            }
            var stored = outcomes[i].Enrolled!;
            Assert.Equal(photos[i].Item2, stored.PersonName);
            Assert.Equal(subject.Face.Embedding!.Vector, stored.Face.Embedding.Vector);
        }
        Assert.Equal(outcomes.Count(o => o.Enrolled is not null), gallery.Index.Count);
    }
}
