using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Sightings;

namespace Visage.Tests.Gallery;

/// <summary>
/// Backups and upgrades: a gallery exported to a file and imported into the other database (SQLite to PostgreSQL and
/// back) keeps every person, face (descriptor, model id, landmarks, thumbnail, image hash, time), rejection and
/// sighting with its id; an import into a gallery that holds data is refused; and a gallery written by the previous
/// release (a fixture made by its code) opens, migrates and keeps everything.
/// </summary>
public sealed class GalleryArchiveTests : IDisposable
{
    private const string ReleasedModel = "face_recognition_model@1.7.15/dlib+flip";

    private readonly TempGallery _temp = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    /// <summary>Everything a gallery holds, as comparable text (times to the microsecond, PostgreSQL's resolution).</summary>
    private static List<string> Dump(IGalleryStore store)
    {
        static string T(DateTime t) => (t.Ticks / 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
        static string V(float[] v) => Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()));
        var rows = new List<string>();
        foreach (var p in store.ListPersons(0, 500))
        {
            rows.Add($"person {p.Id} {p.Name} {T(p.CreatedUtc)}");
            foreach (var f in store.ListFaces(p.Id))
                rows.Add($"face {f.Id} {f.PersonId} {f.ImageSha256} {f.Box} {f.Landmarks?.Points[67]} {V(f.Embedding.Vector)} {f.Embedding.ModelId} {T(f.CreatedUtc)} {f.Quality} " +
                    Convert.ToHexString(store.GetThumbnail(f.Id) ?? []));
            foreach (var r in store.ListRejections(p.Id))
                rows.Add($"rejection {r.Id} {r.PersonId} {V(r.Embedding.Vector)} {r.Embedding.ModelId} {T(r.CreatedUtc)}");
        }
        var sightings = new SightingStore(store);
        foreach (var s in sightings.List(new SightingQuery(Limit: 1000)))
            rows.Add($"sighting {s.Id} {s.Camera} {s.Source} {s.EventId} {T(s.StartUtc)} {T(s.EndUtc)} {s.PersonId} {s.Confidence} {s.Distance} " +
                $"{s.Face.Box} {s.Face.Score} {V(s.Face.Embedding!.Vector)} {s.ImageSha256} {Convert.ToHexString(sightings.GetThumbnail(s.Id) ?? [])}");
        return rows;
    }

    private static void Fill(string location)
    {
        using var g = FaceGallery.Open(location, Vectors.Model);
        var rng = new Random(6);
        var ann = g.CreatePerson("Ann");
        var bob = g.CreatePerson("Bob");
        g.DeletePerson(g.CreatePerson("Gone").Id); // a gap in the ids, which must be kept
        for (var i = 0; i < 3; i++)
        {
            var thumbnail = new byte[500 + i];
            rng.NextBytes(thumbnail);
            g.Enroll(i < 2 ? ann.Id : bob.Id, TempGallery.Sha($"photo {i}"), TempGallery.Face(Vectors.Random(rng)), thumbnail, quality: i == 0 ? 0.625f : null);
        }
        g.Store.AddFace(bob.Id, TempGallery.Sha("other model"), new BoundingBox(1, 2, 3, 4), null, Vectors.Embed(Vectors.Random(rng), "other-model"));
        g.Reject(ann.Id, Vectors.Embed(Vectors.Random(rng)));
        var sightings = new SightingStore(g);
        sightings.Record(new NewSighting("porch", "frigate", "e1", DateTime.UtcNow, ann.Id, 0.8f, 0.3f,
            new Face(new BoundingBox(5, 6, 70, 80), 0.97f, Embedding: Vectors.Embed(Vectors.Random(rng))), TempGallery.Sha("s1"), [1, 2, 3]));
        sightings.Record(new NewSighting("drive", "camera", null, DateTime.UtcNow, null, null, 0.9f,
            new Face(new BoundingBox(1, 1, 50, 50), 0.9f, Embedding: Vectors.Embed(Vectors.Random(rng))), TempGallery.Sha("s2"), null));
    }

    [Fact]
    public void SqliteToPostgresAndBack_KeepsEverything_WithItsIds()
    {
        using var postgres = new PostgresTestDatabase();
        Fill(_temp.DbPath);
        List<string> original;
        using (var sqlite = GalleryStores.Open(_temp.DbPath))
        {
            original = Dump(sqlite);
            Assert.Equal(new GalleryRows(2, 4, 1, 2), GalleryArchive.Export(sqlite, _temp.File("backup.db")));
            Assert.Throws<IOException>(() => GalleryArchive.Export(sqlite, _temp.File("backup.db"))); // never overwritten
        }
        using (var pg = GalleryStores.Open(postgres.ConnectionString))
        {
            Assert.Equal(new GalleryRows(2, 4, 1, 2), GalleryArchive.Import(_temp.File("backup.db"), pg));
            Assert.Equal(original, Dump(pg));
            Assert.True(pg.CreatePerson("New").Id > 3); // ids go on after the imported ones (and the gap)
            pg.DeletePerson(pg.FindPerson("New")!.Id);
            GalleryArchive.Export(pg, _temp.File("from-postgres.db"));
        }
        using (var again = GalleryStores.Open(_temp.File("again.db")))
        {
            GalleryArchive.Import(_temp.File("from-postgres.db"), again);
            Assert.Equal(original, Dump(again));
        }
        using var followed = FaceGallery.Open(postgres.ConnectionString, Vectors.Model);
        Assert.Equal(3, followed.Index.Count); // the imported faces of this model, loaded like any others
    }

    [Fact]
    public void AnImportIntoAGalleryThatHoldsData_IsRefused_AndChangesNothing()
    {
        Fill(_temp.DbPath);
        using (var source = GalleryStores.Open(_temp.DbPath)) GalleryArchive.Export(source, _temp.File("backup.db"));
        using var target = GalleryStores.Open(_temp.File("target.db"));
        target.CreatePerson("Already here");
        Assert.Throws<GalleryNotEmptyException>(() => GalleryArchive.Import(_temp.File("backup.db"), target));
        Assert.Equal(["Already here"], target.ListPersons(0, 10).Select(p => p.Name));
    }

    [Fact]
    public void AGalleryWrittenByThePreviousRelease_Opens_Migrates_AndKeepsEverything()
    {
        // Written by commit 9eab4cd (schema 5): see fixtures/galleries/README.md for how.
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "galleries", "schema5-9eab4cd.db"), _temp.DbPath);
        using (var store = GalleryStores.Open(_temp.DbPath))
        {
            Assert.Equal(["Edward Lu", "Barack Obama"], store.ListPersons(0, 10).Select(p => p.Name));
            var faces = store.ListPersons(0, 10).SelectMany(p => store.ListFaces(p.Id)).ToList();
            Assert.Equal([1L, 3, 4], faces.Select(f => f.Id));
            Assert.All(faces, f => Assert.Equal(ReleasedModel, f.Embedding.ModelId));
            Assert.All(faces, f => Assert.Null(f.Quality)); // enrolled before scores were kept
            Assert.All(faces, f => Assert.True(store.GetThumbnail(f.Id) is { Length: > 500 }));
            Assert.Single(store.ListRejections(1));
            Assert.Equal(2, new SightingStore(store).Count());
            Assert.Equal(6, store.LatestChange()); // its change log too
            Assert.Empty(new AuditLog(store).List(new AuditQuery())); // the new tables are there, empty
        }
        using (var check = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_temp.DbPath}"))
        {
            check.Open();
            using var version = check.CreateCommand();
            version.CommandText = "PRAGMA user_version";
            Assert.Equal(7L, version.ExecuteScalar()); // 6: the faces' quality; 7: the change log's readers, the audit log
        }
        using var gallery = FaceGallery.Open(_temp.DbPath, ReleasedModel);
        Assert.Equal(3, gallery.Index.Count);
        var obama = gallery.ListFaces(2)[0];
        Assert.Equal(2, gallery.Index.NearestPerson(obama.Embedding.Vector, Visage.Matching.DistanceMetric.Euclidean)!.Value.PersonId);
        Assert.True(gallery.Rejections.Has(1));

        using var postgres = new PostgresTestDatabase(); // and it moves to PostgreSQL as it is
        using var pg = GalleryStores.Open(postgres.ConnectionString);
        Assert.Equal(new GalleryRows(2, 3, 1, 2), GalleryArchive.Import(_temp.DbPath, pg));
        Assert.Equal(Dump(gallery.Store), Dump(pg));
    }
}
