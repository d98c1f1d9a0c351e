using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Sightings;

namespace Visage.Tests.Gallery;

/// <summary>
/// The audit log: every gallery write made while an actor is set is recorded with it (key id and name), in the write's
/// own transaction; writes with no actor (the Frigate bridge, retention) are not; entries hold ids, never names.
/// </summary>
public abstract class AuditLogTests(GalleryBackend backend) : IDisposable
{
    public void Dispose() => backend.Dispose();

    [Fact]
    public void EveryWriteOfAnActor_IsRecorded_WithWhoWhatAndWhen_NewestFirst()
    {
        using var g = FaceGallery.Open(backend.Location, Vectors.Model);
        var sightings = new SightingStore(g);
        var before = DateTime.UtcNow.AddSeconds(-1);
        var unknown = sightings.Record(new NewSighting("porch", "frigate", null, DateTime.UtcNow, null, null, null,
            new Face(new BoundingBox(1, 1, 9, 9), 0.9f, Embedding: Vectors.Embed(Vectors.At(3, 3))), TempGallery.Sha("s"), null)); // no actor: not audited
        long ann, face;
        using (AuditActor.Begin(new AuditActor(7, "kiosk admin")))
        {
            ann = g.CreatePerson("Ann Secret").Id;
            face = g.Enroll(ann, TempGallery.Sha("a"), TempGallery.Face(Vectors.At(1, 0))).Face.Id;
            g.Enroll(ann, TempGallery.Sha("a"), TempGallery.Face(Vectors.At(1, 0))); // already there: nothing changed, nothing recorded
            g.RenamePerson(ann, "Ann Other");
            g.Reject(ann, Vectors.Embed(Vectors.At(2, 0)));
            sightings.Assign(unknown.Id, ann);
            g.DeleteFace(face);
            sightings.Delete(unknown.Id);
            g.DeletePerson(ann);
        }
        using (AuditActor.Begin(AuditActor.Cli())) g.EraseAll();

        var entries = new AuditLog(g.Store).List(new AuditQuery());
        Assert.Equal(
            ["gallery.erase", "person.delete", "sighting.delete", "face.delete", "sighting.assign", "rejection.add", "person.rename", "face.add", "person.create"],
            entries.Select(e => e.Action));
        Assert.All(entries.Skip(1), e => Assert.Equal((7L, "kiosk admin"), (e.KeyId!.Value, e.Actor)));
        Assert.Equal((null, AuditActor.Cli().Name), (entries[0].KeyId, entries[0].Actor));
        Assert.Equal([ann, unknown.Id, face], entries.Skip(1).Take(3).Select(e => e.TargetId!.Value));
        Assert.All(entries, e => Assert.InRange(e.AtUtc, before, DateTime.UtcNow));
        Assert.DoesNotContain(entries, e => $"{e.Action} {e.Detail}".Contains("Ann", StringComparison.Ordinal));
        Assert.Equal(["person.create"], new AuditLog(g.Store).List(new AuditQuery(BeforeId: entries[^2].Id)).Select(e => e.Action));
    }
}

public sealed class SqliteAuditLogTests() : AuditLogTests(new SqliteBackend());

public sealed class PostgresAuditLogTests() : AuditLogTests(new PostgresBackend());
