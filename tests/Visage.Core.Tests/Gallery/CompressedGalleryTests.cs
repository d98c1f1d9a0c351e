using Visage.Cli.Bench;
using Visage.Gallery;
using Visage.Gallery.Search;
using Visage.Gallery.Storage;
using Visage.Matching;

namespace Visage.Tests.Gallery;

/// <summary>
/// A gallery's compressed index across restarts: saved at dispose and taken up at the next open with the changes made
/// meanwhile replayed from the store's log; rebuilt from the store, never answered from, when its files are missing,
/// damaged, left mid-write, or belong to another database; private to an instance when another holds its directory.
/// </summary>
public sealed class CompressedGalleryTests : IDisposable
{
    private const int Persons = 60, FacesPerPerson = 10;
    private static readonly GalleryIndexOptions Compressed = new() { CompressedFromFaces = 300 };
    private static readonly GalleryIndexOptions Exact = new() { CompressedFromFaces = int.MaxValue };
    private readonly TempGallery _temp = new();

    public void Dispose() => _temp.Dispose();

    private FaceGallery Open(GalleryIndexOptions options, string? db = null) => new(GalleryStores.Open(db ?? _temp.DbPath), Vectors.Model, indexOptions: options);

    /// <summary>Enrolls seeded synthetic persons (faces 0..599 of the generator); returns (store face id, vector).</summary>
    private List<(long Face, long Person, float[] V)> Enroll(int seed, string? db = null)
    {
        using var gallery = Open(Exact, db);
        var synth = new SyntheticFaces(seed);
        var enrolled = new List<(long, long, float[])>();
        for (var p = 0; p < Persons; p++)
        {
            var person = gallery.CreatePerson($"person {p}");
            for (var f = 0; f < FacesPerPerson; f++)
            {
                var v = new float[128];
                synth.Face(p * FacesPerPerson + f, v);
                var face = gallery.Enroll(person.Id, TempGallery.Sha($"{seed}/{p}/{f}"), TempGallery.Face(v)).Face;
                enrolled.Add((face.Id, person.Id, v));
            }
        }
        return enrolled;
    }

    private static long Nearest(FaceGallery gallery, float[] q)
    {
        var found = new Neighbor[1];
        Assert.Equal(1, gallery.Index.Nearest(q, DistanceMetric.Euclidean, found));
        return found[0].FaceId;
    }

    /// <summary>Every enrolled face is its own nearest neighbour, and the index counts exactly them.</summary>
    private static void AnswersFor(FaceGallery gallery, IReadOnlyCollection<(long Face, long Person, float[] V)> faces)
    {
        Assert.Equal(faces.Count, gallery.Index.Count);
        foreach (var (face, _, v) in faces) Assert.Equal(face, Nearest(gallery, v));
    }

    [Fact]
    public void A_saved_index_is_taken_up_at_the_next_open_and_answers_as_before()
    {
        var faces = Enroll(seed: 1);
        string directory;
        using (var gallery = Open(Compressed))
        {
            Assert.Equal(GalleryIndexOrigin.Built, gallery.IndexOrigin);
            Assert.True(gallery.Index.IsCompressed);
            directory = gallery.Index.Directory!;
            Assert.Equal(_temp.DbPath + ".index", directory);
            AnswersFor(gallery, faces);
        }
        Assert.True(File.Exists(Path.Combine(directory, "index.vgi")));
        using (var gallery = Open(Compressed))
        {
            Assert.Equal(GalleryIndexOrigin.Restored, gallery.IndexOrigin);
            AnswersFor(gallery, faces);
            Assert.Equal("person 3", gallery.Index.NearestPerson(faces[35].V, DistanceMetric.Euclidean)!.Value.PersonName);
        }
        using var exact = Open(Exact);
        Assert.Equal(GalleryIndexOrigin.Loaded, exact.IndexOrigin);
        Assert.False(exact.Index.IsCompressed);
    }

    [Fact]
    public void Changes_made_while_the_index_was_closed_are_replayed_from_the_log()
    {
        var faces = Enroll(seed: 2);
        Open(Compressed).Dispose();
        var synth = new SyntheticFaces(2);
        using (var other = Open(Exact))
        {
            var newcomer = other.CreatePerson("newcomer");
            for (var f = 0; f < 20; f++)
            {
                var v = new float[128];
                synth.Face(100_000 + f, v);
                faces.Add((other.Enroll(newcomer.Id, TempGallery.Sha($"new/{f}"), TempGallery.Face(v)).Face.Id, newcomer.Id, v));
            }
            foreach (var gone in faces.Where((_, i) => i % 9 == 0).ToList())
            {
                Assert.True(other.DeleteFace(gone.Face));
                faces.Remove(gone);
            }
            other.RenamePerson(faces[1].Person, "renamed");
        }
        using var gallery = Open(Compressed);
        Assert.Equal(GalleryIndexOrigin.Restored, gallery.IndexOrigin);
        AnswersFor(gallery, faces);
        Assert.Equal("renamed", gallery.Index.NearestPerson(faces[1].V, DistanceMetric.Euclidean)!.Value.PersonName);
    }

    public static TheoryData<string> Damages => ["checkpoint missing", "checkpoint cut short", "checkpoint byte flipped", "rows byte flipped", "rows file missing", "rows left mid-write"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void Missing_or_damaged_files_are_rebuilt_from_the_store_never_answered_from(string damage)
    {
        var faces = Enroll(seed: 3);
        string directory;
        byte[]? midWrite = null;
        using (var gallery = Open(Compressed))
        {
            directory = gallery.Index.Directory!;
            if (damage == "rows left mid-write")
            {
                gallery.Index.Save("irrelevant"); // a clean checkpoint, then a write: what a crash leaves behind
                var person = gallery.CreatePerson("late");
                var v = new float[128];
                new SyntheticFaces(3).Face(55_555, v);
                faces.Add((gallery.Enroll(person.Id, TempGallery.Sha("late"), TempGallery.Face(v)).Face.Id, person.Id, v));
                midWrite = TempGallery.ReadShared(Path.Combine(directory, "faces.f32"));
            }
        }
        var checkpoint = Path.Combine(directory, "index.vgi");
        var rows = Path.Combine(directory, "faces.f32");
        switch (damage)
        {
            case "checkpoint missing": File.Delete(checkpoint); break;
            case "checkpoint cut short": File.WriteAllBytes(checkpoint, File.ReadAllBytes(checkpoint)[..^100]); break;
            case "checkpoint byte flipped": Flip(checkpoint, File.ReadAllBytes(checkpoint).Length / 2); break;
            case "rows byte flipped": Flip(rows, 4096 + 512 * 123 + 17); break;
            case "rows file missing": File.Delete(rows); break;
            case "rows left mid-write": File.WriteAllBytes(rows, midWrite!); break;
        }
        using (var gallery = Open(Compressed))
        {
            Assert.Equal(GalleryIndexOrigin.Built, gallery.IndexOrigin);
            AnswersFor(gallery, faces);
        }
        using var again = Open(Compressed);
        Assert.Equal(GalleryIndexOrigin.Restored, again.IndexOrigin);
    }

    [Fact]
    public void A_saved_index_of_another_database_in_the_same_place_is_not_taken_up()
    {
        var options = Compressed with { Directory = _temp.File("shared-index") };
        Enroll(seed: 4);
        Open(options).Dispose();
        // Same ids, same number of faces, same log: only the vectors differ.
        var otherDb = _temp.File("other.db");
        var faces = Enroll(seed: 5, otherDb);
        using var gallery = Open(options, otherDb);
        Assert.Equal(GalleryIndexOrigin.Built, gallery.IndexOrigin);
        AnswersFor(gallery, faces);
    }

    [Fact]
    public void A_second_open_gallery_gets_a_private_index_that_goes_with_it()
    {
        var faces = Enroll(seed: 6);
        using var first = Open(Compressed);
        string privateDirectory;
        using (var second = Open(Compressed))
        {
            privateDirectory = second.Index.Directory!;
            Assert.NotEqual(first.Index.Directory, privateDirectory);
            AnswersFor(second, faces);

            // Writes through the second reach the first through the log, as with exact indexes.
            var v = new float[128];
            new SyntheticFaces(6).Face(77_777, v);
            var person = second.CreatePerson("through the log");
            var id = second.Enroll(person.Id, TempGallery.Sha("log"), TempGallery.Face(v)).Face.Id;
            Assert.Equal(1, first.Synchronize());
            Assert.Equal(id, Nearest(first, v));
        }
        Assert.False(Directory.Exists(privateDirectory));
    }

    private static void Flip(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x40));
    }
}
