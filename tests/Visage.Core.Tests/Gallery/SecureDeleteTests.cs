using Visage.Gallery;

namespace Visage.Tests.Gallery;

/// <summary>Deleted descriptors must be gone from the bytes on disk, not just unlinked.</summary>
public sealed class SecureDeleteTests : IDisposable
{
    private readonly TempGallery _temp = new();

    public void Dispose() => _temp.Dispose();

    private bool OnDisk(float[] vector)
    {
        var needle = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++) BitConverter.TryWriteBytes(needle.AsSpan(i * 4), vector[i]); // little-endian here
        return OnDisk(needle);
    }

    private bool OnDisk(byte[] needle)
    {
        // 64 bytes (16 random floats) cannot occur by chance; a shorter needle also finds partly-overwritten copies.
        var prefix = needle.AsSpan(0, 64);
        var suffix = needle.AsSpan(needle.Length - 64);
        foreach (var file in new[] { _temp.DbPath, _temp.DbPath + "-wal" })
        {
            var bytes = TempGallery.ReadShared(file);
            if (bytes.AsSpan().IndexOf(prefix) >= 0 || bytes.AsSpan().IndexOf(suffix) >= 0) return true;
        }
        return false;
    }

    private static List<float[]> EnrollMany(FaceGallery g, long person, string tag, Random rng)
    {
        var vectors = new List<float[]>();
        for (var i = 0; i < 30; i++) // about 1.2 KB per face: spread over several pages
        {
            var v = Vectors.Random(rng);
            g.Enroll(person, TempGallery.Sha($"{tag}{i}"), TempGallery.Face(v));
            vectors.Add(v);
        }
        return vectors;
    }

    [Fact]
    public void DeletePerson_LeavesNoCopyOfTheirDescriptors_InTheDatabaseOrItsWal()
    {
        using var g = FaceGallery.Open(_temp.DbPath, Vectors.Model);
        var rng = new Random(5);
        var ann = g.CreatePerson("Ann");
        var bob = g.CreatePerson("Bob");
        var anns = EnrollMany(g, ann.Id, "ann", rng);
        var bobs = EnrollMany(g, bob.Id, "bob", rng);
        Assert.All(anns, v => Assert.True(OnDisk(v))); // the search does find stored vectors

        Assert.True(g.DeletePerson(ann.Id));

        Assert.All(anns, v => Assert.False(OnDisk(v)));
        Assert.All(bobs, v => Assert.True(OnDisk(v)));
        Assert.Equal(0, new FileInfo(_temp.DbPath + "-wal").Length); // emptied by the truncating checkpoint
    }

    [Fact]
    public void DeleteFace_LeavesNoCopyOfItsThumbnail()
    {
        using var g = FaceGallery.Open(_temp.DbPath, Vectors.Model);
        var ann = g.CreatePerson("Ann");
        var thumbnail = new byte[2000];
        new Random(7).NextBytes(thumbnail);
        var face = g.Enroll(ann.Id, TempGallery.Sha("a"), TempGallery.Face(Vectors.Random(new Random(8))), thumbnail).Face;
        Assert.True(OnDisk(thumbnail));

        Assert.True(g.DeleteFace(face.Id));

        Assert.False(OnDisk(thumbnail));
    }

    [Fact]
    public void DeleteFace_LeavesNoCopyOfItsDescriptor()
    {
        using var g = FaceGallery.Open(_temp.DbPath, Vectors.Model);
        var ann = g.CreatePerson("Ann");
        var vectors = EnrollMany(g, ann.Id, "ann", new Random(6));
        var victim = g.ListFaces(ann.Id)[12];
        Assert.True(OnDisk(victim.Embedding.Vector));

        Assert.True(g.DeleteFace(victim.Id));

        Assert.False(OnDisk(victim.Embedding.Vector));
        Assert.Equal(29, vectors.Count(OnDisk));
    }
}
