using Visage.Faces;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Tests.Gallery;

/// <summary>The behaviour every <see cref="IGalleryStore"/> promises, run on SQLite and on PostgreSQL.</summary>
public abstract class GalleryStoreTests : IDisposable
{
    private readonly GalleryBackend _backend;
    private readonly IGalleryStore _store;

    protected GalleryStoreTests(GalleryBackend backend)
    {
        _backend = backend;
        _store = GalleryStores.Open(backend.Location);
    }

    public void Dispose()
    {
        _store.Dispose();
        _backend.Dispose();
    }

    private EnrolledFace Add(long person, string image, float[] v, string model = Vectors.Model) =>
        _store.AddFace(person, TempGallery.Sha(image), new BoundingBox(1, 2, 3, 4), TempGallery.Landmarks(5), new FaceEmbedding(v, model));

    [Fact]
    public void Face_RoundTrips_Exactly()
    {
        var ann = _store.CreatePerson("Ann");
        var v = Vectors.Random(new Random(1));
        var e = Add(ann.Id, "a.jpg", v);
        Assert.True(e.Created);
        Assert.Equal("Ann", e.PersonName);

        var face = _store.GetFace(e.Face.Id)!;
        Assert.Equal(ann.Id, face.PersonId);
        Assert.Equal(TempGallery.Sha("a.jpg"), face.ImageSha256);
        Assert.Equal(new BoundingBox(1, 2, 3, 4), face.Box);
        Assert.Equal(v, face.Embedding.Vector);
        Assert.Equal(Vectors.Model, face.Embedding.ModelId);
        Assert.Equal(TempGallery.Landmarks(5).Points, face.Landmarks!.Points);
        Assert.Equal(DateTimeKind.Utc, face.CreatedUtc.Kind);
        Assert.InRange(face.CreatedUtc, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(face, e.Face with { Embedding = face.Embedding, Landmarks = face.Landmarks });
        Assert.Equal([face.Id], _store.ListFaces(ann.Id).Select(f => f.Id));
    }

    [Fact]
    public void FaceWithoutLandmarks_RoundTrips()
    {
        var ann = _store.CreatePerson("Ann");
        var e = _store.AddFace(ann.Id, TempGallery.Sha("x"), default, null, new FaceEmbedding(new float[128], "m"));
        Assert.Null(_store.GetFace(e.Face.Id)!.Landmarks);
    }

    [Fact]
    public void EnrollingTheSameImageTwice_ReturnsTheExistingFace()
    {
        var ann = _store.CreatePerson("Ann");
        var first = Add(ann.Id, "a.jpg", Vectors.Random(new Random(1)));
        var again = Add(ann.Id, "a.jpg", Vectors.Random(new Random(2)));
        Assert.False(again.Created);
        Assert.Equal(first.Face.Id, again.Face.Id);
        Assert.Equal(first.Face.Embedding.Vector, again.Face.Embedding.Vector);
        // Upper-case hex is the same image.
        Assert.False(_store.AddFace(ann.Id, TempGallery.Sha("a.jpg").ToUpperInvariant(), default, null, first.Face.Embedding).Created);
        // Another model or another person is a new face.
        Assert.True(Add(ann.Id, "a.jpg", new float[128], "other-model").Created);
        Assert.True(Add(_store.CreatePerson("Bob").Id, "a.jpg", new float[128]).Created);
        Assert.Equal(2, _store.ListFaces(ann.Id).Count);
    }

    [Fact]
    public void DuplicateName_Throws_AndNamesAreExact()
    {
        _store.CreatePerson("Ann");
        var e = Assert.Throws<DuplicatePersonException>(() => _store.CreatePerson("Ann"));
        Assert.Equal("Ann", e.Name);
        Assert.Equal("ann", _store.CreatePerson("ann").Name);
        Assert.Throws<ArgumentException>(() => _store.CreatePerson("  "));
    }

    [Fact]
    public void Rename_Works_AndRejectsDuplicatesAndUnknownIds()
    {
        var ann = _store.CreatePerson("Ann");
        _store.CreatePerson("Bob");
        Assert.Equal("Anne", _store.RenamePerson(ann.Id, "Anne").Name);
        Assert.Equal("Anne", _store.GetPerson(ann.Id)!.Name);
        Assert.Null(_store.FindPerson("Ann"));
        Assert.Equal(ann.Id, _store.FindPerson("Anne")!.Id);
        Assert.Equal("Anne", _store.RenamePerson(ann.Id, "Anne").Name); // same name: no-op
        Assert.Throws<DuplicatePersonException>(() => _store.RenamePerson(ann.Id, "Bob"));
        Assert.Equal(999, Assert.Throws<PersonNotFoundException>(() => _store.RenamePerson(999, "Zed")).PersonId);
    }

    [Fact]
    public void DeletePerson_DeletesEveryOneOfTheirFaces()
    {
        var ann = _store.CreatePerson("Ann");
        var bob = _store.CreatePerson("Bob");
        var faces = Enumerable.Range(0, 3).Select(i => Add(ann.Id, $"a{i}", new float[128]).Face.Id).ToList();
        faces.Add(Add(ann.Id, "a0", new float[128], "other-model").Face.Id);
        var bobs = Add(bob.Id, "b", new float[128]).Face.Id;
        Assert.True(_store.DeletePerson(ann.Id));
        Assert.False(_store.DeletePerson(ann.Id));
        Assert.Null(_store.GetPerson(ann.Id));
        Assert.All(faces, id => Assert.Null(_store.GetFace(id)));
        Assert.Empty(_store.ListFaces(ann.Id));
        Assert.NotNull(_store.GetFace(bobs));
        Assert.Equal(new GalleryCounts(1, 1, 0), _store.Count(Vectors.Model));
    }

    [Fact]
    public void AddFace_ToAnUnknownPerson_Throws()
    {
        Assert.Throws<PersonNotFoundException>(() => Add(42, "a", new float[128]));
        Assert.Throws<ArgumentException>(() => _store.AddFace(_store.CreatePerson("Ann").Id, "not-a-hash", default, null, new FaceEmbedding(new float[128], "m")));
    }

    [Fact]
    public void DeleteFace_RemovesOnlyThatFace()
    {
        var ann = _store.CreatePerson("Ann");
        var a = Add(ann.Id, "a", new float[128]).Face.Id;
        var b = Add(ann.Id, "b", new float[128]).Face.Id;
        Assert.True(_store.DeleteFace(a));
        Assert.False(_store.DeleteFace(a));
        Assert.Equal([b], _store.ListFaces(ann.Id).Select(f => f.Id));
        Assert.Equal(1, _store.GetPerson(ann.Id)!.FaceCount);
    }

    [Fact]
    public void IdsAreNeverReused_AfterDeletingTheNewest()
    {
        var ann = _store.CreatePerson("Ann");
        var a = Add(ann.Id, "a", new float[128]).Face.Id;
        _store.DeleteFace(a);
        Assert.True(Add(ann.Id, "b", new float[128]).Face.Id > a);
    }

    [Fact]
    public void ListPersons_Pages_InCreationOrder_WithFaceCounts()
    {
        var ids = Enumerable.Range(0, 7).Select(i => _store.CreatePerson($"p{i}").Id).ToArray();
        Add(ids[1], "x", new float[128]);
        Add(ids[1], "y", new float[128], "other-model");
        var page = _store.ListPersons(offset: 1, limit: 3);
        Assert.Equal(ids[1..4], page.Select(p => p.Id));
        Assert.Equal([2, 0, 0], page.Select(p => p.FaceCount));
        Assert.Equal(ids[6..], _store.ListPersons(6, 10).Select(p => p.Id));
        Assert.Empty(_store.ListPersons(10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.ListPersons(-1, 10));
    }

    [Fact]
    public void Count_AndLoadVectors_SeparateModels()
    {
        var ann = _store.CreatePerson("Ann");
        var bob = _store.CreatePerson("Bob");
        var v1 = Vectors.Random(new Random(1));
        var v2 = Vectors.Random(new Random(2));
        var f1 = Add(ann.Id, "a", v1).Face.Id;
        Add(ann.Id, "a", Vectors.Random(new Random(3)), "other-model");
        var f2 = Add(bob.Id, "b", v2).Face.Id;
        Assert.Equal(new GalleryCounts(2, 2, 1), _store.Count(Vectors.Model));

        var loaded = new List<(long, long, string, float[])>();
        _store.LoadVectors(Vectors.Model, (face, person, name, v) => loaded.Add((face, person, name, v.ToArray())));
        Assert.Equal(2, loaded.Count);
        Assert.Equal((f1, ann.Id, "Ann"), (loaded[0].Item1, loaded[0].Item2, loaded[0].Item3));
        Assert.Equal(v1, loaded[0].Item4);
        Assert.Equal((f2, bob.Id, "Bob"), (loaded[1].Item1, loaded[1].Item2, loaded[1].Item3));
        Assert.Equal(v2, loaded[1].Item4);
    }

    [Fact]
    public void Data_SurvivesReopening()
    {
        var ann = _store.CreatePerson("Ann");
        var v = Vectors.Random(new Random(4));
        var id = Add(ann.Id, "a", v).Face.Id;
        _store.Dispose();
        using var reopened = GalleryStores.Open(_backend.Location);
        Assert.Equal(v, reopened.GetFace(id)!.Embedding.Vector);
        Assert.Equal("Ann", reopened.GetPerson(ann.Id)!.Name);
    }

    [Fact]
    public void Thumbnail_IsKept_AndGoesWithItsFace()
    {
        var ann = _store.CreatePerson("Ann");
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 1, 2, 3];
        var with = _store.AddFace(ann.Id, TempGallery.Sha("a"), default, null, new FaceEmbedding(new float[128], "m"), jpeg).Face.Id;
        var without = Add(ann.Id, "b", new float[128]).Face.Id;
        Assert.Equal(jpeg, _store.GetThumbnail(with));
        Assert.Null(_store.GetThumbnail(without));
        Assert.True(_store.DeletePerson(ann.Id));
        Assert.Null(_store.GetThumbnail(with));
    }

    [Fact]
    public async Task ConcurrentCreatesOfOneName_MakeOnePerson()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            try { return _store.CreatePerson("Zoe").Id; }
            catch (DuplicatePersonException) { return -1; }
        })));
        Assert.Single(outcomes, id => id > 0);
        Assert.Single(_store.ListPersons(0, 10));
    }
}

public sealed class SqliteGalleryStoreTests() : GalleryStoreTests(new SqliteBackend());

public sealed class PostgresGalleryStoreTests() : GalleryStoreTests(new PostgresBackend());
