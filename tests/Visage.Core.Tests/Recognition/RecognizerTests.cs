using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Matching;
using Visage.Recognition;
using static Visage.Tests.Vectors;

namespace Visage.Tests.Recognition;

/// <summary>The core verbs on hand-made descriptors: verify a pair, verify against a person, identify across models.</summary>
public sealed class RecognizerTests : IDisposable
{
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"visage-recognizer-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _db, _db + "-wal", _db + "-shm" }) File.Delete(f);
    }

    private static Face FaceAt(float x, float y) => new(new BoundingBox(0, 0, 10, 10), 1, null, Embed(At(x, y)));

    [Fact]
    public void A_pair_is_the_same_person_strictly_below_the_calibrated_verification_threshold()
    {
        var calibrated = ThresholdCalibration.For(DistanceMetric.Euclidean, ThresholdUse.Verification);
        var near = Recognizer.Verify(Embed(At(0, 0)), Embed(At(calibrated.Threshold - 0.01f, 0)));
        var far = Recognizer.Verify(Embed(At(0, 0)), Embed(At(calibrated.Threshold, 0)));

        Assert.True(near.Same);
        Assert.False(far.Same);
        Assert.Equal(calibrated.Threshold, far.Threshold);
        Assert.Equal(calibrated.Describe(), far.ThresholdSource);
        Assert.True(Recognizer.Verify(Embed(At(0, 0)), Embed(At(0.9f, 0)), threshold: 1f).Same);
        Assert.Contains("set by the caller", Recognizer.Verify(Embed(At(0, 0)), Embed(At(1, 0)), threshold: 1f).ThresholdSource);
        Assert.Throws<ArgumentOutOfRangeException>(() => Recognizer.Verify(Embed(At(0, 0)), Embed(At(1, 0)), threshold: -1f));
    }

    [Fact]
    public void A_face_is_verified_against_the_nearest_of_a_persons_faces()
    {
        using var gallery = FaceGallery.Open(_db, Model);
        var ann = gallery.CreatePerson("Ann");
        gallery.Enroll(ann.Id, new string('a', 64), FaceAt(0, 0));
        gallery.Enroll(ann.Id, new string('b', 64), FaceAt(2, 0));
        var bob = gallery.CreatePerson("Bob");
        gallery.Enroll(bob.Id, new string('c', 64), FaceAt(1.9f, 0));

        var v = Recognizer.Verify(Embed(At(1.8f, 0)), ann.Id, gallery);

        Assert.Equal(0.2f, v.Distance, 1e-5f);
        Assert.True(v.Same);
        Assert.Equal((ann.Id, "Ann"), (v.PersonId!.Value, v.Name));
        Assert.False(Recognizer.Verify(Embed(At(1, 0)), ann.Id, gallery).Same);
    }

    [Fact]
    public void An_unknown_person_a_person_without_faces_and_another_model_are_refused()
    {
        using var gallery = FaceGallery.Open(_db, Model);
        var empty = gallery.CreatePerson("Nobody");

        Assert.Equal(999, Assert.Throws<PersonNotFoundException>(() => Recognizer.Verify(Embed(At(0, 0)), 999, gallery)).PersonId);
        Assert.Contains("Nobody", Assert.Throws<PersonNotEnrolledException>(() => Recognizer.Verify(Embed(At(0, 0)), empty.Id, gallery)).Message);
        Assert.Throws<ArgumentException>(() => Recognizer.Verify(Embed(At(0, 0), "another-model"), empty.Id, gallery));
        Assert.Throws<ArgumentException>(() => Recognizer.Identify(gallery, Embed(At(0, 0), "another-model")));
    }

    [Fact]
    public void Several_descriptors_of_one_face_are_decided_once_from_their_mean()
    {
        using var gallery = FaceGallery.Open(_db, Model);
        var ann = gallery.CreatePerson("Ann");
        gallery.Enroll(ann.Id, new string('a', 64), FaceAt(0, 0));
        var options = new MatchingOptions { Threshold = 0.5f };

        // Each frame alone is too far (0.6), their mean is at 0.2; one frame at 0.3 among far ones does not name them.
        var frames = new[] { Embed(At(0.6f, 0)), Embed(At(-0.2f, 0.6f)), Embed(At(0.2f, -0.6f)) };
        Assert.All(frames, f => Assert.False(Recognizer.Identify(gallery, f, options).IsKnown));
        Assert.Equal("Ann", Recognizer.Identify(gallery, frames, options).Name);
        Assert.False(Recognizer.Identify(gallery, [Embed(At(0.3f, 0)), Embed(At(3, 0)), Embed(At(3, 0.1f))], options).IsKnown);
        Assert.Throws<ArgumentException>(() => Recognizer.Identify(gallery, Array.Empty<FaceEmbedding>(), options));
    }

    [Fact]
    public void Recognize_answers_every_face_with_its_decision_and_times_the_match()
    {
        using var gallery = FaceGallery.Open(_db, Model);
        var ann = gallery.CreatePerson("Ann");
        gallery.Enroll(ann.Id, new string('a', 64), FaceAt(0, 0));
        var analysis = new Visage.Pipeline.Analysis([FaceAt(0.1f, 0), FaceAt(5, 5), FaceAt(0, 0.2f)], new StageTimings());

        var photo = Recognizer.Recognize(analysis, gallery, maxFaces: 2);

        Assert.Equal(["Ann", null], photo.Faces.Select(f => f.Match.Name));
        Assert.True(photo.Timings.ToDictionary().ContainsKey("match"));
        Assert.Throws<ArgumentException>(() => Recognizer.Recognize(new Visage.Pipeline.Analysis([new Face(new BoundingBox(0, 0, 1, 1), 1)], new StageTimings()), gallery));
    }
}
