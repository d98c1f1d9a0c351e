using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Matching;
using Visage.Recognition;
using Visage.Tests.Gallery;

namespace Visage.Tests.Recognition;

/// <summary>
/// "That was not me" in the decision: a descriptor rejected for a person vetoes that person for probes nearer to it
/// than to the person's own faces, on SQLite and PostgreSQL, and reaches a second gallery on the same store.
/// Distances are plain 2-D distances (<see cref="Vectors.At"/>); the threshold is the default 0.48.
/// </summary>
public abstract class RejectionVetoTests(GalleryBackend backend) : IDisposable
{
    private readonly FaceGallery _gallery = FaceGallery.Open(backend.Location, Vectors.Model);

    public void Dispose()
    {
        _gallery.Dispose();
        backend.Dispose();
    }

    private long Person(string name, params (float X, float Y)[] faces)
    {
        var person = _gallery.CreatePerson(name);
        foreach (var (x, y) in faces) _gallery.Enroll(person.Id, TempGallery.Sha($"{name} {x} {y}"), TempGallery.Face(Vectors.At(x, y)));
        return person.Id;
    }

    private Match Who(float x, float y, MatchingOptions? options = null) => Recognizer.Identify(_gallery, Vectors.Embed(Vectors.At(x, y)), options);

    [Fact]
    public void TheRejectedFace_AndFacesNearIt_AreNoLongerNamed_ButThePersonStillIs()
    {
        var paul = Person("Paul", (0, 0), (0, 0.1f));
        Assert.Equal(paul, Who(0.4f, 0).PersonId); // the stranger at 0.4 passes for Paul (under 0.48)

        _gallery.Reject(paul, Vectors.Embed(Vectors.At(0.4f, 0)));

        var stranger = Who(0.4f, 0);
        Assert.Null(stranger.PersonId);
        Assert.Equal(paul, stranger.VetoedPersonId);
        Assert.Null(Who(0.38f, 0.02f).PersonId); // nearer to the rejected face (0.03) than to Paul's (0.38)
        Assert.Equal(paul, Who(0.05f, 0).PersonId); // Paul himself, nearer to his faces
        Assert.Null(Who(0.05f, 0).VetoedPersonId);
        Assert.Equal(paul, Who(0.15f, 0).PersonId); // 0.15 from Paul, 0.25 from the rejection
    }

    [Fact]
    public void AVetoedPerson_LeavesTheDecisionToTheOthers()
    {
        // The nearest-face rule (the open-set default calls single faces 0.3 and 0.4 away "too close to tell").
        var paul = Person("Paul", (0, 0));
        var quinn = Person("Quinn", (0.7f, 0));
        var nearestFace = new MatchingOptions { Mode = MatchMode.Nearest };
        Assert.Equal(paul, Who(0.3f, 0, nearestFace).PersonId); // 0.3 from Paul, 0.4 from Quinn

        _gallery.Reject(paul, Vectors.Embed(Vectors.At(0.3f, 0)));

        var nearest = Who(0.3f, 0, nearestFace);
        Assert.Equal(quinn, nearest.PersonId);
        Assert.Equal(0.4f, nearest.Distance, 4);
        Assert.Equal(paul, nearest.VetoedPersonId);
        Assert.Equal(quinn, Who(0.3f, 0, new() { Mode = MatchMode.Knn, K = 3 }).PersonId);
        var centroid = Who(0.3f, 0, new() { Mode = MatchMode.Centroid });
        Assert.Null(centroid.PersonId); // centroids: the vetoed person's face is unknown
        Assert.Equal(paul, centroid.VetoedPersonId);
    }

    [Fact]
    public void Verify_AgainstTheVetoedPerson_SaysNotTheSame()
    {
        var paul = Person("Paul", (0, 0));
        Assert.True(Recognizer.Verify(Vectors.Embed(Vectors.At(0.4f, 0)), paul, _gallery).Same);
        _gallery.Reject(paul, Vectors.Embed(Vectors.At(0.4f, 0)));
        var verdict = Recognizer.Verify(Vectors.Embed(Vectors.At(0.4f, 0)), paul, _gallery);
        Assert.False(verdict.Same);
        Assert.True(verdict.Vetoed);
        Assert.True(Recognizer.Verify(Vectors.Embed(Vectors.At(0.1f, 0)), paul, _gallery).Same);
    }

    [Fact]
    public void Rejections_AreStored_ReachAnotherGallery_AndGoWithThePerson()
    {
        var paul = Person("Paul", (0, 0));
        using var other = FaceGallery.Open(backend.Location, Vectors.Model);
        var rejection = _gallery.Reject(paul, Vectors.Embed(Vectors.At(0.4f, 0)));
        Assert.Equal(Vectors.At(0.4f, 0), _gallery.ListRejections(paul).Single().Embedding.Vector);
        Assert.Equal(rejection.Id, _gallery.ListRejections(paul).Single().Id);

        Assert.Equal(paul, Recognizer.Identify(other, Vectors.Embed(Vectors.At(0.4f, 0))).PersonId); // not synchronized yet
        other.Synchronize();
        Assert.Null(Recognizer.Identify(other, Vectors.Embed(Vectors.At(0.4f, 0))).PersonId);
        using (var reopened = FaceGallery.Open(backend.Location, Vectors.Model))
            Assert.Equal(1, reopened.Rejections.Count);

        Assert.True(_gallery.DeletePerson(paul));
        Assert.Equal(0, _gallery.Rejections.Count);
        other.Synchronize();
        Assert.Equal(0, other.Rejections.Count);
        Assert.Empty(_gallery.ListRejections(paul));
        Assert.Throws<PersonNotFoundException>(() => _gallery.Reject(paul, Vectors.Embed(Vectors.At(0.4f, 0))));
    }

    [Fact]
    public void ARejectionOfAnotherModel_IsRefused()
    {
        var paul = Person("Paul", (0, 0));
        Assert.Throws<ArgumentException>(() => _gallery.Reject(paul, Vectors.Embed(Vectors.At(0.4f, 0), "other-model")));
    }
}

public sealed class SqliteRejectionVetoTests() : RejectionVetoTests(new SqliteBackend());

public sealed class PostgresRejectionVetoTests() : RejectionVetoTests(new PostgresBackend());
