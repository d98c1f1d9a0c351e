using Microsoft.Data.Sqlite;
using Npgsql;
using Visage.Gallery;
using Visage.Gallery.Storage;

namespace Visage.Tests.Gallery;

/// <summary>
/// Schema 6 keeps each enrolled face's quality score; a gallery made by schema 5 (no such column) opens, migrates, and
/// answers its old faces with no score.
/// </summary>
public abstract class FaceQualityColumnTests(GalleryBackend backend) : IDisposable
{
    public void Dispose() => backend.Dispose();

    /// <summary>Turns the gallery back into what schema 5 made: no quality column, none of schema 7's tables, version 5.</summary>
    protected abstract void MakeSchema5(string location);

    [Fact]
    public void A_schema_5_gallery_migrates_and_the_score_is_stored_with_new_faces()
    {
        long old;
        using (var g = FaceGallery.Open(backend.Location, Vectors.Model))
            old = g.Enroll(g.CreatePerson("Ann").Id, TempGallery.Sha("old"), TempGallery.Face(Vectors.At(0, 0))).Face.Id;
        SqliteConnection.ClearAllPools();
        MakeSchema5(backend.Location);

        using var gallery = FaceGallery.Open(backend.Location, Vectors.Model);
        var ann = gallery.FindPerson("Ann")!;
        Assert.Null(gallery.GetFace(old)!.Quality);
        Assert.Equal(1, gallery.Index.Count); // the old face is matched as before
        var scored = gallery.Enroll(ann.Id, TempGallery.Sha("new"), TempGallery.Face(Vectors.At(0.1f, 0)), quality: 0.75f).Face;
        Assert.Equal(0.75f, scored.Quality);
        Assert.Equal([null, 0.75f], gallery.ListFaces(ann.Id).Select(f => f.Quality));
    }
}

public sealed class SqliteFaceQualityColumnTests() : FaceQualityColumnTests(new SqliteBackend())
{
    protected override void MakeSchema5(string location)
    {
        using var connection = new SqliteConnection($"Data Source={location}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TABLE gallery_readers; DROP TABLE gallery_log_marks; DROP TABLE gallery_log_state; DROP TABLE audit_log; " +
            "ALTER TABLE faces DROP COLUMN quality; PRAGMA user_version = 5;";
        command.ExecuteNonQuery();
    }
}

public sealed class PostgresFaceQualityColumnTests() : FaceQualityColumnTests(new PostgresBackend())
{
    protected override void MakeSchema5(string location)
    {
        using var connection = new NpgsqlConnection(location);
        connection.Open();
        using var command = new NpgsqlCommand("DROP TABLE gallery_readers, gallery_log_marks, gallery_log_state, audit_log, erasure_pending; " +
            "DROP FUNCTION visage_erasure_pending() CASCADE; " + // and its triggers
            "ALTER TABLE faces DROP COLUMN quality; UPDATE visage_meta SET value = '5' WHERE key = 'schema_version';", connection);
        command.ExecuteNonQuery();
    }
}
