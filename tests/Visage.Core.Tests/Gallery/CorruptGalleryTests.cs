using Microsoft.Data.Sqlite;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Tests.Gallery;

/// <summary>A file that is not a usable gallery is refused with a clear error and never modified.</summary>
public sealed class CorruptGalleryTests : IDisposable
{
    private readonly TempGallery _temp = new();

    public void Dispose() => _temp.Dispose();

    private void AssertRefusedAndUntouched(string path)
    {
        var before = File.ReadAllBytes(path);
        var e = Assert.Throws<GalleryCorruptException>(() => FaceGallery.Open(path, Vectors.Model));
        Assert.Contains(path, e.Message);
        Assert.Equal(Path.GetFullPath(path), e.Location);
        Assert.Equal(before, File.ReadAllBytes(path));
        // A second attempt fails the same way: nothing was "repaired" in between.
        Assert.Throws<GalleryCorruptException>(() => FaceGallery.Open(path, Vectors.Model));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    private string RealGallery(int faces)
    {
        var path = _temp.File("real.db");
        using (var g = FaceGallery.Open(path, Vectors.Model))
        {
            var rng = new Random(1);
            var ann = g.CreatePerson("Ann");
            for (var i = 0; i < faces; i++) g.Enroll(ann.Id, TempGallery.Sha($"{i}"), TempGallery.Face(Vectors.Random(rng)));
        }
        Assert.False(File.Exists(path + "-wal")); // closed cleanly: everything is in the main file
        return path;
    }

    [Fact]
    public void RandomBytes_AreRefused()
    {
        var path = _temp.File("random.db");
        File.WriteAllBytes(path, Enumerable.Range(0, 8192).Select(i => (byte)(i * 7919 % 251)).ToArray());
        AssertRefusedAndUntouched(path);
        Assert.False(File.Exists(path + "-wal"));
        Assert.False(File.Exists(path + "-shm"));
    }

    [Fact]
    public void ATextFile_IsRefused()
    {
        var path = _temp.File("notes.txt");
        File.WriteAllText(path, "not a database\n");
        AssertRefusedAndUntouched(path);
    }

    [Fact]
    public void ASqliteHeaderFollowedByGarbage_IsRefused()
    {
        var path = _temp.File("garbage.db");
        var bytes = new byte[8192];
        new Random(2).NextBytes(bytes);
        "SQLite format 3\0"u8.CopyTo(bytes);
        File.WriteAllBytes(path, bytes);
        AssertRefusedAndUntouched(path);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void ATruncatedRealGallery_IsRefused(double keep)
    {
        var path = RealGallery(200);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keep)]);
        AssertRefusedAndUntouched(path);
    }

    [Fact]
    public void AnotherApplicationsSqliteDatabase_IsRefused()
    {
        var path = _temp.File("other.db");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes(text) VALUES ('keep me')";
            cmd.ExecuteNonQuery();
        }
        AssertRefusedAndUntouched(path);
    }

    [Fact]
    public void ADirectory_IsUnavailable()
    {
        Assert.Throws<GalleryUnavailableException>(() => FaceGallery.Open(_temp.Directory, Vectors.Model));
    }

    [Fact]
    public void AnEmptyFile_BecomesANewGallery()
    {
        var path = _temp.File("empty.db");
        File.WriteAllBytes(path, []);
        using var g = FaceGallery.Open(path, Vectors.Model);
        Assert.Equal(new GalleryCounts(0, 0, 0), g.Count());
    }

    [Fact]
    public void AMissingDirectory_IsCreated()
    {
        using var g = FaceGallery.Open(_temp.File("a/b/gallery.db"), Vectors.Model);
        Assert.True(File.Exists(_temp.File("a/b/gallery.db")));
    }
}
