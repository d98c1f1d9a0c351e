using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Recognition;
using Visage.Sightings;
using Visage.Tests.Gallery;

namespace Visage.Tests.Sightings;

/// <summary>The sightings table and the feedback verbs, the same tests on SQLite and PostgreSQL.</summary>
public abstract class SightingStoreTests(GalleryBackend backend) : IDisposable
{
    private readonly FaceGallery _gallery = FaceGallery.Open(backend.Location, Vectors.Model);

    public void Dispose()
    {
        _gallery.Dispose();
        backend.Dispose();
    }

    private SightingStore Store(SightingRetention? retention = null) => new(_gallery, retention);

    private static NewSighting Seen(string camera, float x, long? person = null, string? eventId = null, DateTime? at = null,
        float size = 100, string source = "frigate") =>
        new(camera, source, eventId, at ?? DateTime.UtcNow, person, person is null ? null : 0.8f, x,
            new Face(new BoundingBox(10, 20, size, size), 0.9f, Embedding: Vectors.Embed(Vectors.At(x, 0))),
            TempGallery.Sha($"{camera} {x} {size}"), [0xFF, 0xD8, (byte)size]);

    [Fact]
    public void ASighting_RoundTrips()
    {
        var paul = _gallery.CreatePerson("Paul");
        var at = new DateTime(2026, 11, 26, 16, 40, 3, 520, DateTimeKind.Utc);
        var stored = Store().Record(Seen("door", 0.2f, paul.Id, "ev-1", at));

        var read = Store().Get(stored.Id)!;
        Assert.Equal(("door", "frigate", "ev-1"), (read.Camera, read.Source, read.EventId));
        Assert.Equal((at, at), (read.StartUtc, read.EndUtc));
        Assert.Equal((paul.Id, "Paul"), (read.PersonId, read.PersonName));
        Assert.Equal((0.8f, 0.2f), (read.Confidence, read.Distance));
        Assert.Equal(new BoundingBox(10, 20, 100, 100), read.Face.Box);
        Assert.Equal(Vectors.At(0.2f, 0), read.Face.Embedding!.Vector);
        Assert.Equal(TempGallery.Sha("door 0.2 100"), read.ImageSha256);
        Assert.Equal([0xFF, 0xD8, 100], Store().GetThumbnail(stored.Id));
        Assert.Null(Store().Get(stored.Id + 1000));
    }

    [Fact]
    public void ReportsOfOneEvent_ExtendOneSighting_PerPerson_KeepingTheBestFace()
    {
        var paul = _gallery.CreatePerson("Paul");
        var t0 = DateTime.UtcNow.AddMinutes(-5);
        var first = Store().Record(Seen("door", 0.3f, paul.Id, "ev-1", t0, size: 80));
        var larger = Store().Record(Seen("door", 0.2f, paul.Id, "ev-1", t0.AddSeconds(2), size: 120));
        var smaller = Store().Record(Seen("door", 0.1f, paul.Id, "ev-1", t0.AddSeconds(4), size: 60));
        var stranger = Store().Record(Seen("door", 2f, null, "ev-1", t0.AddSeconds(1)));
        var otherEvent = Store().Record(Seen("door", 0.3f, paul.Id, "ev-2", t0.AddSeconds(5)));

        Assert.Equal(first.Id, larger.Id);
        Assert.Equal(first.Id, smaller.Id);
        Assert.NotEqual(first.Id, stranger.Id);
        Assert.NotEqual(first.Id, otherEvent.Id);
        Assert.InRange((smaller.StartUtc - t0).TotalMilliseconds, -0.01, 0.01); // PostgreSQL keeps microseconds
        Assert.InRange((smaller.EndUtc - t0.AddSeconds(4)).TotalMilliseconds, -0.01, 0.01);
        Assert.Equal(120, smaller.Face.Box.Width); // the larger face stayed
        Assert.Equal(0.2f, smaller.Distance);
        Assert.Equal(3, Store().Count());
    }

    [Fact]
    public void List_Filters_ByCamera_Person_Unknown_Since_AndPages_NewestFirst()
    {
        var paul = _gallery.CreatePerson("Paul");
        var old = DateTime.UtcNow.AddHours(-2);
        var a = Store().Record(Seen("door", 0.1f, paul.Id, at: old));
        var b = Store().Record(Seen("door", 2f));
        var c = Store().Record(Seen("garden", 0.2f, paul.Id));
        var d = Store().Record(Seen("garden", 3f));

        long[] Ids(SightingQuery q) => [.. Store().List(q).Select(s => s.Id)];
        Assert.Equal([d.Id, c.Id, b.Id, a.Id], Ids(new()));
        Assert.Equal([b.Id, a.Id], Ids(new(Camera: "door")));
        Assert.Equal([c.Id, a.Id], Ids(new(PersonId: paul.Id)));
        Assert.Equal([d.Id, b.Id], Ids(new(Unknown: true)));
        Assert.Equal([c.Id, a.Id], Ids(new(Unknown: false)));
        Assert.Equal([d.Id, c.Id, b.Id], Ids(new(SinceUtc: DateTime.UtcNow.AddHours(-1))));
        Assert.Equal([d.Id, c.Id], Ids(new(Limit: 2)));
        Assert.Equal([b.Id, a.Id], Ids(new(BeforeId: c.Id)));
        Assert.Equal([d.Id], Ids(new(Camera: "garden", Unknown: true)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Store().List(new(Limit: 0)));
    }

    [Fact]
    public void Retention_DeletesTheOldest_ByAge_AndByCount()
    {
        var store = Store(new SightingRetention(Days: 7, MaxCount: 3));
        var stale = store.Record(Seen("door", 1f, at: DateTime.UtcNow.AddDays(-8)));
        Assert.NotNull(store.Get(stale.Id)); // acknowledged: readable until the next write
        Assert.Equal(1, store.Prune()); // older than 7 days
        Assert.Null(store.Get(stale.Id));
        var ids = Enumerable.Range(0, 5).Select(i => store.Record(Seen("door", i)).Id).ToList();
        Assert.Equal(ids[2..].AsEnumerable().Reverse(), store.List(new()).Select(s => s.Id));
        Assert.Equal(3, store.Count());
    }

    [Fact]
    public void DeletingAPerson_DeletesTheirSightings_AndKeepsTheOthers()
    {
        var paul = _gallery.CreatePerson("Paul");
        var his = Store().Record(Seen("door", 0.1f, paul.Id));
        var unknown = Store().Record(Seen("door", 2f));
        Assert.True(_gallery.DeletePerson(paul.Id));
        Assert.Null(Store().Get(his.Id));
        Assert.Null(Store().GetThumbnail(his.Id));
        Assert.NotNull(Store().Get(unknown.Id));
        Assert.Throws<PersonNotFoundException>(() => Store().Record(Seen("door", 0.1f, paul.Id)));
    }

    [Fact]
    public void Enroll_MakesAStrangerKnown_InOneCall()
    {
        var stranger = Store().Record(Seen("door", 2f));
        Assert.Null(Recognizer.Identify(_gallery, Vectors.Embed(Vectors.At(2.05f, 0))).PersonId);
        var neighbour = _gallery.CreatePerson("Neighbour");

        var (face, named) = SightingFeedback.Enroll(_gallery, Store(), stranger.Id, neighbour.Id);

        Assert.Equal(neighbour.Id, face.Face.PersonId);
        Assert.Equal([0xFF, 0xD8, 100], _gallery.GetThumbnail(face.Face.Id));
        Assert.Equal((neighbour.Id, "Neighbour", (float?)null), (named.PersonId, named.PersonName, named.Confidence));
        Assert.Equal(neighbour.Id, Recognizer.Identify(_gallery, Vectors.Embed(Vectors.At(2.05f, 0))).PersonId);
        Assert.False(SightingFeedback.Enroll(_gallery, Store(), stranger.Id, neighbour.Id).Face.Created); // idempotent
        Assert.Throws<SightingNotFoundException>(() => SightingFeedback.Enroll(_gallery, Store(), stranger.Id + 99, neighbour.Id));
        Assert.Throws<PersonNotFoundException>(() => SightingFeedback.Enroll(_gallery, Store(), stranger.Id, neighbour.Id + 99));
    }

    [Fact]
    public void Reject_TakesTheNameAway_AndTheFaceNoLongerMatchesThatPerson()
    {
        var paul = _gallery.CreatePerson("Paul");
        _gallery.Enroll(paul.Id, TempGallery.Sha("paul"), TempGallery.Face(Vectors.At(0, 0)));
        var wrong = Store().Record(Seen("door", 0.4f, paul.Id));

        var (rejection, cleared) = SightingFeedback.Reject(_gallery, Store(), wrong.Id);

        Assert.Equal(paul.Id, rejection.PersonId);
        Assert.Null(cleared.PersonId);
        Assert.Null(Recognizer.Identify(_gallery, Vectors.Embed(Vectors.At(0.4f, 0))).PersonId);
        Assert.Equal(paul.Id, Recognizer.Identify(_gallery, Vectors.Embed(Vectors.At(0.02f, 0))).PersonId);
        Assert.Throws<SightingUnnamedException>(() => SightingFeedback.Reject(_gallery, Store(), wrong.Id));
    }

    [Fact]
    public void Reject_AfterAWrongEnroll_RemovesTheFaceEnrolledFromIt()
    {
        var paul = _gallery.CreatePerson("Paul");
        _gallery.Enroll(paul.Id, TempGallery.Sha("paul"), TempGallery.Face(Vectors.At(0, 0)));
        var sighting = Store().Record(Seen("door", 0.9f));
        SightingFeedback.Enroll(_gallery, Store(), sighting.Id, paul.Id);
        Assert.Equal(2, _gallery.ListFaces(paul.Id).Count);

        SightingFeedback.Reject(_gallery, Store(), sighting.Id);

        Assert.Single(_gallery.ListFaces(paul.Id));
        Assert.Null(Recognizer.Identify(_gallery, Vectors.Embed(Vectors.At(0.9f, 0))).PersonId);
    }

    [Fact]
    public void UnknownSightings_AreGroupedIntoProbablePeople_WithAPersonToMergeInto()
    {
        var paul = _gallery.CreatePerson("Paul");
        _gallery.Enroll(paul.Id, TempGallery.Sha("paul"), TempGallery.Face(Vectors.At(0, 0)));
        foreach (var x in new[] { 5f, 5.1f, 5.2f, 0.1f, 0.15f, 9f }) Store().Record(Seen("door", x));

        var groups = UnknownSightings.Group(_gallery, Store().List(new(Unknown: true)));

        Assert.Equal(2, groups.Clusters.Count);
        Assert.Equal(3, groups.Clusters[0].Sightings.Count);
        Assert.False(groups.Clusters[0].MergeInto.IsKnown); // someone new
        Assert.Equal(paul.Id, groups.Clusters[1].MergeInto.PersonId); // looks like Paul
        Assert.Equal(9f, groups.Unclustered.Single().Face.Embedding!.Vector[0]);
    }
}

public sealed class SqliteSightingStoreTests() : SightingStoreTests(new SqliteBackend());

public sealed class PostgresSightingStoreTests() : SightingStoreTests(new PostgresBackend());
