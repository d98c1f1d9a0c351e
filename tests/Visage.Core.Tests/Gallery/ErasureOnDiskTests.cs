using System.Text;
using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Sightings;

namespace Visage.Tests.Gallery;

/// <summary>
/// Every kind of erasure (a face, a person with their faces, rejection and sighting, a sighting, the whole gallery),
/// followed by what Visage runs to complete it (<see cref="IGalleryStore.CompleteErasures"/>), leaves none of the erased
/// descriptors', thumbnails', image hashes' or names' bytes in the database's files, while what was kept is still
/// found there (so the search works). SQLite: the file and its WAL; PostgreSQL: every file of the database.
/// </summary>
public abstract class ErasureOnDiskTests(GalleryBackend backend) : IDisposable
{
    public void Dispose() => backend.Dispose();

    /// <summary>Recognizable byte strings of one erasable thing.</summary>
    private sealed class Traces(string owner)
    {
        public List<(string What, byte[] Bytes)> Needles { get; } = [];

        public void Add(string what, byte[] bytes) => Needles.Add(($"{owner} {what}", bytes));

        // 64 bytes of a descriptor (16 random floats) cannot occur by chance: its start and its end, so a partly
        // overwritten copy is found too.
        public void Descriptor(string what, float[] vector)
        {
            var bytes = new byte[vector.Length * sizeof(float)];
            Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
            Add(what + " descriptor start", bytes[..64]);
            Add(what + " descriptor end", bytes[^64..]);
        }
    }

    private sealed record Person(long Id, Traces Traces, List<long> Faces);

    private static byte[] Thumbnail(Random rng)
    {
        var jpeg = new byte[3000]; // incompressible, as JPEG is: PostgreSQL moves it to the TOAST table as it is
        rng.NextBytes(jpeg);
        return jpeg;
    }

    private static Person Enroll(FaceGallery g, SightingStore sightings, string name, int faces, Random rng)
    {
        var traces = new Traces(name);
        var person = g.CreatePerson(name);
        traces.Add("name", Encoding.UTF8.GetBytes(name));
        var ids = new List<long>();
        for (var i = 0; i < faces; i++)
        {
            var vector = Vectors.Random(rng);
            var thumbnail = Thumbnail(rng);
            var sha = TempGallery.Sha($"{name} photo {i}");
            ids.Add(g.Enroll(person.Id, sha, TempGallery.Face(vector), thumbnail).Face.Id);
            traces.Descriptor($"face {i}", vector);
            traces.Add($"face {i} thumbnail", thumbnail[1000..1064]);
            traces.Add($"face {i} image hash", Encoding.ASCII.GetBytes(sha));
        }
        var rejected = Vectors.Random(rng);
        g.Reject(person.Id, Vectors.Embed(rejected));
        traces.Descriptor("rejection", rejected);
        Sight(sightings, traces, person.Id, rng);
        return new Person(person.Id, traces, ids);
    }

    private static long Sight(SightingStore sightings, Traces traces, long? person, Random rng)
    {
        var vector = Vectors.Random(rng);
        var thumbnail = Thumbnail(rng);
        var sha = TempGallery.Sha($"sighting {rng.Next()}");
        var sighting = sightings.Record(new NewSighting("porch", "frigate", $"event-{rng.Next()}", DateTime.UtcNow, person, 0.9f, 0.3f,
            new Face(new BoundingBox(1, 2, 30, 40), 0.95f, Embedding: Vectors.Embed(vector)), sha, thumbnail));
        traces.Descriptor("sighting", vector);
        traces.Add("sighting thumbnail", thumbnail[1000..1064]);
        traces.Add("sighting image hash", Encoding.ASCII.GetBytes(sha));
        return sighting.Id;
    }

    /// <summary>The needles found in the database's files, each once, with the files it is in.</summary>
    private List<string> Found(IEnumerable<Traces> traces)
    {
        var files = backend.TableFiles();
        return [.. traces.SelectMany(t => t.Needles)
            .Select(n => (n.What, In: files.Where(f => f.Bytes.AsSpan().IndexOf(n.Bytes) >= 0).Select(f => f.Name).ToList()))
            .Where(n => n.In.Count > 0).Select(n => $"{n.What} in {string.Join(", ", n.In)}")];
    }

    private static void CompleteErasures(IGalleryStore store)
    {
        // What the service's ErasureCompactor does every few seconds: a rewrite may have to wait for a lock or for an
        // older transaction (autovacuum's, another test's) to end.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        ErasureReport report;
        while (!(report = store.CompleteErasures(TimeSpan.Zero)).Complete && DateTime.UtcNow < until) Thread.Sleep(200);
        Assert.True(report.Complete, $"erasures still waiting: {string.Join(", ", report.Waiting)}");
    }

    [Fact]
    public void EveryErasure_LeavesNoByteOfWhatItErased_InTheDatabaseFiles()
    {
        using var store = GalleryStores.Open(backend.Location);
        using var g = new FaceGallery(store, Vectors.Model, ownsStore: false);
        var sightings = new SightingStore(g);
        var rng = new Random(23);
        var ann = Enroll(g, sightings, "Ann Erasable", 3, rng);
        var bob = Enroll(g, sightings, "Bob Erasable", 2, rng);
        var kim = Enroll(g, sightings, "Kim Keeps", 2, rng);
        var strangerTraces = new Traces("stranger");
        var stranger = Sight(sightings, strangerTraces, null, rng);
        var everything = new[] { ann.Traces, bob.Traces, kim.Traces, strangerTraces };
        Assert.Equal(everything.Sum(t => t.Needles.Count), Found(everything).Count); // each needle is found where it is stored

        // One face: its descriptor, thumbnail and image hash.
        var annFace0 = new Traces("Ann Erasable");
        annFace0.Needles.AddRange(ann.Traces.Needles.Where(n => n.What.Contains("face 0", StringComparison.Ordinal)));
        Assert.True(g.DeleteFace(ann.Faces[0]));
        CompleteErasures(store);
        Assert.Empty(Found([annFace0]));
        Assert.Equal(ann.Traces.Needles.Count - annFace0.Needles.Count, Found([ann.Traces]).Count);

        // A person: name, faces, rejection, the sighting that named them.
        Assert.True(g.DeletePerson(ann.Id));
        CompleteErasures(store);
        Assert.Empty(Found([ann.Traces]));

        // A sighting of nobody known.
        Assert.True(sightings.Delete(stranger));
        CompleteErasures(store);
        Assert.Empty(Found([strangerTraces]));
        Assert.Equal(bob.Traces.Needles.Count + kim.Traces.Needles.Count, Found([bob.Traces, kim.Traces]).Count);

        // The whole gallery.
        var erased = g.EraseAll();
        Assert.Equal(new GalleryRows(2, 4, 2, 2), erased);
        CompleteErasures(store);
        Assert.Empty(Found(everything));
        Assert.Equal(0, g.Index.Count);
    }
}

public sealed class SqliteErasureOnDiskTests() : ErasureOnDiskTests(new SqliteBackend());

public sealed class PostgresErasureOnDiskTests() : ErasureOnDiskTests(new PostgresBackend());
