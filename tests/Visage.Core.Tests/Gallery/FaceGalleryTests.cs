using Visage.Faces;
using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Matching;
using Visage.Recognition;

namespace Visage.Tests.Gallery;

/// <summary>The gallery facade over each store: the same tests on SQLite and on PostgreSQL.</summary>
public abstract class FaceGalleryTests(GalleryBackend backend) : IDisposable
{
    public void Dispose() => backend.Dispose();

    protected string Location => backend.Location;

    private FaceGallery Open() => FaceGallery.Open(backend.Location, Vectors.Model);

    private static readonly MatchingOptions[] AllModes =
    [
        new() { Mode = MatchMode.Nearest },
        new() { Mode = MatchMode.Knn, K = 3 },
        new() { Mode = MatchMode.Centroid, Threshold = 4.8f },
        new() { Mode = MatchMode.Nearest, Metric = DistanceMetric.Cosine, Threshold = 0.4f },
    ];

    [Fact]
    public void Enroll_ThenMatch_FindsThePerson_AndAStrangerStaysUnknown()
    {
        using var g = Open();
        var ann = g.CreatePerson("Ann");
        var e = g.Enroll(ann.Id, TempGallery.Sha("a"), TempGallery.Face(Vectors.At(1, 0)));
        Assert.True(e.Created);
        var m = Recognizer.Identify(g, Vectors.Embed(Vectors.At(1.2f, 0)));
        Assert.Equal((ann.Id, "Ann"), (m.PersonId!.Value, m.Name));
        Assert.Equal(0.2f, m.Distance, 1e-6f); // the default (open set) measures to the person's mean
        Assert.Equal(e.Face.Id, Recognizer.Identify(g, Vectors.Embed(Vectors.At(1.2f, 0)), new MatchingOptions { Mode = MatchMode.Nearest }).FaceId);
        Assert.False(Recognizer.Identify(g, Vectors.Embed(Vectors.At(-1, 0))).IsKnown);
    }

    [Fact]
    public void Enroll_TheSameImageTwice_AddsOneFaceToTheIndex()
    {
        using var g = Open();
        var ann = g.CreatePerson("Ann");
        g.Enroll(ann.Id, TempGallery.Sha("a"), TempGallery.Face(Vectors.At(1, 0)));
        Assert.False(g.Enroll(ann.Id, TempGallery.Sha("a"), TempGallery.Face(Vectors.At(1, 0))).Created);
        Assert.Equal(1, g.Index.Count);
    }

    [Fact]
    public void Enroll_RejectsAFaceWithoutEmbedding_OrFromAnotherModel_OrForNobody()
    {
        using var g = Open();
        var ann = g.CreatePerson("Ann");
        var noEmbedding = TempGallery.Face(Vectors.At(0, 0)) with { Embedding = null };
        Assert.Throws<ArgumentException>(() => g.Enroll(ann.Id, TempGallery.Sha("a"), noEmbedding));
        Assert.Throws<ArgumentException>(() => g.Enroll(ann.Id, TempGallery.Sha("a"), TempGallery.Face(Vectors.At(0, 0), "other-model")));
        Assert.Throws<PersonNotFoundException>(() => g.Enroll(999, TempGallery.Sha("a"), TempGallery.Face(Vectors.At(0, 0))));
        Assert.Equal(0, g.Index.Count);
        Assert.Equal(new GalleryCounts(1, 0, 0), g.Count());
    }

    [Fact]
    public void FacesOfAnotherModel_AreCounted_ButNeverMatched()
    {
        using (var store = GalleryStores.Open(backend.Location))
        {
            var bob = store.CreatePerson("Bob");
            store.AddFace(bob.Id, TempGallery.Sha("b"), default, null, new FaceEmbedding(Vectors.At(0, 0), "other-model"));
        }
        using var g = Open();
        Assert.Equal(new GalleryCounts(1, 0, 1), g.Count());
        Assert.False(Recognizer.Identify(g, Vectors.Embed(Vectors.At(0, 0))).IsKnown);
        Assert.Equal(0, g.Index.Count);
    }

    [Fact]
    public void Writes_KeepTheIndexInStep()
    {
        using var g = Open();
        var ann = g.CreatePerson("Ann");
        var bob = g.CreatePerson("Bob");
        var a1 = g.Enroll(ann.Id, TempGallery.Sha("a1"), TempGallery.Face(Vectors.At(0, 0))).Face;
        g.Enroll(bob.Id, TempGallery.Sha("b1"), TempGallery.Face(Vectors.At(0.3f, 0)));
        var query = Vectors.Embed(Vectors.At(0, 0));
        // The nearest-face rule at 0.48: with the open-set default, two single-face persons 0.3 apart are too close to tell.
        var nearest = new MatchingOptions { Mode = MatchMode.Nearest };

        g.RenamePerson(ann.Id, "Anne");
        Assert.Equal("Anne", Recognizer.Identify(g, query, nearest).Name);

        Assert.True(g.DeleteFace(a1.Id));
        Assert.Equal("Bob", Recognizer.Identify(g, query, nearest).Name);
        Assert.Equal(["Bob"], Recognizer.Identify(g, query, nearest with { OpenSet = nearest.OpenSet with { Candidates = 5 } }).Candidates.Select(c => c.Name));

        Assert.True(g.DeletePerson(bob.Id));
        Assert.False(Recognizer.Identify(g, query, nearest).IsKnown);
        Assert.Equal(0, g.Index.Count);
        Assert.Equal(new GalleryCounts(1, 0, 0), g.Count());
    }

    [Fact]
    public void GetOrCreatePerson_ReturnsTheSamePersonEveryTime()
    {
        using var g = Open();
        var first = g.GetOrCreatePerson("Ann");
        Assert.Equal(first.Id, g.GetOrCreatePerson("Ann").Id);
        Assert.Single(g.ListPersons());
    }

    [Fact]
    public void Reopening_GivesTheSameAnswers()
    {
        var rng = new Random(21);
        var queries = new List<FaceEmbedding>();
        var before = new List<Match>();
        using (var g = Open())
        {
            for (var p = 0; p < 20; p++)
            {
                var person = g.CreatePerson($"person {p}");
                var center = Vectors.Random(rng);
                for (var f = 0; f < 4; f++)
                {
                    var v = center.Select(x => x + (float)(rng.NextDouble() - 0.5) * 0.05f).ToArray();
                    g.Enroll(person.Id, TempGallery.Sha($"{p}/{f}"), TempGallery.Face(v));
                }
                queries.Add(Vectors.Embed(center.Select(x => x + 0.01f).ToArray()));
            }
            queries.Add(Vectors.Embed(Vectors.Random(rng))); // a stranger
            g.DeleteFace(g.ListFaces(g.FindPerson("person 3")!.Id)[0].Id);
            foreach (var q in queries) foreach (var o in AllModes) before.Add(Recognizer.Identify(g, q, o));
        }
        Assert.Equal(20, before.Count(m => m.IsKnown && m.Mode == MatchMode.Nearest && m.Metric == DistanceMetric.Euclidean));

        using var reopened = Open();
        var after = queries.SelectMany(q => AllModes.Select(o => Recognizer.Identify(reopened, q, o))).ToList();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task TwoInstancesWritingTheSameFile_LoseNoWrites()
    {
        const int PerWriter = 60;
        using var first = Open();
        using var second = Open(); // both open (and load) before anyone writes
        using var start = new Barrier(2);
        void Write(FaceGallery g, int w)
        {
            var rng = new Random(w);
            start.SignalAndWait();
            for (var i = 0; i < PerWriter; i++)
            {
                var person = i % 2 == 0 ? g.GetOrCreatePerson("shared") : g.CreatePerson($"w{w}-{i}");
                g.Enroll(person.Id, TempGallery.Sha($"{w}/{i}"), TempGallery.Face(Vectors.Random(rng)));
            }
        }
        await Task.WhenAll(Task.Run(() => Write(first, 1)), Task.Run(() => Write(second, 2)));
        Assert.Equal(PerWriter, first.Index.Count); // each index holds the writes made through it
        Assert.Equal(PerWriter, second.Index.Count);

        using var check = Open();
        Assert.Equal(new GalleryCounts(1 + PerWriter, 2 * PerWriter, 0), check.Count());
        Assert.Equal(2 * PerWriter, check.Index.Count);
        Assert.Equal(PerWriter, check.FindPerson("shared")!.FaceCount);
    }

    [Fact]
    public void Enroll_KeepsTheThumbnail()
    {
        using var g = Open();
        var ann = g.CreatePerson("Ann");
        var face = g.Enroll(ann.Id, TempGallery.Sha("a"), TempGallery.Face(Vectors.At(1, 0)), [1, 2, 3]).Face;
        Assert.Equal([1, 2, 3], g.GetThumbnail(face.Id));
    }
}

public sealed class SqliteFaceGalleryTests() : FaceGalleryTests(new SqliteBackend())
{
    [Fact]
    public void PostgresLocations_AreRecognized()
    {
        Assert.True(GalleryStores.IsPostgres("Host=localhost;Database=visage;Username=v"));
        Assert.True(GalleryStores.IsPostgres("postgresql://v@localhost/visage"));
        Assert.False(GalleryStores.IsPostgres("/var/lib/visage/gallery.db"));
        Assert.False(GalleryStores.IsPostgres("./a=b.db"));
    }
}

public sealed class PostgresFaceGalleryTests() : FaceGalleryTests(new PostgresBackend())
{
    [Fact]
    public void AUri_OpensTheSameDatabase_AsItsConnectionString()
    {
        using var g = FaceGallery.Open(PostgresTestDatabaseUri(), Vectors.Model);
        g.CreatePerson("Ann");
        using var again = FaceGallery.Open(Location, Vectors.Model);
        Assert.NotNull(again.FindPerson("Ann"));
        Assert.DoesNotContain("password", g.Location, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AnUnreachableServer_IsUnavailable_NotCorrupt()
    {
        var e = Assert.Throws<GalleryUnavailableException>(() => FaceGallery.Open("Host=127.0.0.1;Port=1;Username=v;Timeout=2", Vectors.Model));
        Assert.Contains("127.0.0.1:1", e.Message);
    }

    [Fact]
    public void ADatabaseWithForeignTablesOfTheSameName_IsRefused()
    {
        using var other = new PostgresTestDatabase();
        using (var c = new Npgsql.NpgsqlConnection(other.ConnectionString))
        {
            c.Open();
            using var cmd = new Npgsql.NpgsqlCommand("CREATE TABLE persons(id int, email text)", c);
            cmd.ExecuteNonQuery();
        }
        Assert.Throws<GalleryCorruptException>(() => FaceGallery.Open(other.ConnectionString, Vectors.Model));
    }

    private string PostgresTestDatabaseUri()
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(Location);
        return $"postgresql://{b.Username}@{b.Host}:{b.Port}/{b.Database}";
    }
}
