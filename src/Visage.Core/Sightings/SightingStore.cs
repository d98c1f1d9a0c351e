using System.Data.Common;
using System.Globalization;
using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Storage;

namespace Visage.Sightings;

/// <summary>
/// The sightings table of a gallery's database (SQLite or PostgreSQL: the same SQL, run through the gallery store's
/// own connections, so it shares its pool, its durability settings and its error translation). Every write is one
/// transaction committed before the method returns. A sighting that names a person is deleted with the person (a
/// foreign key), and deletions overwrite the rows' bytes where the store does (SQLite's <c>secure_delete</c>).
/// Retention runs on every write: sightings last seen more than <see cref="SightingRetention.Days"/> ago, and the
/// oldest beyond <see cref="SightingRetention.MaxCount"/>, are deleted (a sighting just recorded is always kept until
/// the next write, so what was acknowledged can be read back).
/// </summary>
/// <remarks>Every method may throw <see cref="GalleryUnavailableException"/> or <see cref="GalleryCorruptException"/>.</remarks>
public sealed class SightingStore
{
    /// <summary>The largest page of <see cref="List"/>.</summary>
    public const int MaxPage = 1000;

    private const string Columns =
        "s.id, s.camera, s.source, s.event_id, s.started, s.ended, s.person_id, p.name, s.confidence, s.distance, " +
        "s.box_x, s.box_y, s.box_w, s.box_h, s.score, s.embedding, s.model_id, s.image_sha256";

    private const string From = "FROM sightings s LEFT JOIN persons p ON p.id = s.person_id";

    private readonly SqlGalleryStore _db;

    /// <summary>The sightings of the gallery store's database.</summary>
    /// <exception cref="NotSupportedException">The store is not one of the SQL stores.</exception>
    public SightingStore(IGalleryStore store, SightingRetention? retention = null)
    {
        _db = store as SqlGalleryStore ?? throw new NotSupportedException($"sightings need a SQL gallery store, not {store.GetType().Name}");
        Retention = retention ?? new SightingRetention();
        Retention.Validate();
    }

    /// <summary>The sightings of a gallery's database.</summary>
    public SightingStore(FaceGallery gallery, SightingRetention? retention = null) : this(gallery.Store, retention)
    {
    }

    /// <summary>How long sightings are kept.</summary>
    public SightingRetention Retention { get; }

    /// <summary>
    /// Stores an appearance. A report with the <see cref="NewSighting.EventId"/> and person (or unknown) of a stored
    /// sighting of the same source extends that sighting instead: its end moves on, and its face is replaced when the
    /// new one is better (larger box times detector score). Then retention runs.
    /// </summary>
    /// <returns>The sighting as stored.</returns>
    /// <exception cref="ArgumentException">The face has no descriptor, or the image hash is malformed.</exception>
    /// <exception cref="PersonNotFoundException">The person does not exist (any more).</exception>
    public Sighting Record(NewSighting sighting)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        ArgumentException.ThrowIfNullOrWhiteSpace(sighting.Camera);
        ArgumentException.ThrowIfNullOrWhiteSpace(sighting.Source);
        var embedding = sighting.Face.Embedding ?? throw new ArgumentException("the sighting's face has no descriptor", nameof(sighting));
        var sha = GalleryArguments.NormalizeSha256(sighting.ImageSha256, nameof(sighting));
        var at = _db.TimeValue(sighting.AtUtc.ToUniversalTime());
        var box = sighting.Face.Box;
        var quality = box.Width * box.Height * sighting.Face.Score;
        var face = new (string, object?)[]
        {
            ("@x", box.X), ("@y", box.Y), ("@w", box.Width), ("@h", box.Height), ("@score", sighting.Face.Score),
            ("@embedding", BlobCodec.EncodeFloats(embedding.Vector)), ("@model", embedding.ModelId), ("@sha", sha),
            ("@thumbnail", sighting.Thumbnail), ("@confidence", sighting.Confidence), ("@distance", sighting.Distance),
        };
        var (id, pruned) = _db.Run(c =>
        {
            using var tx = c.BeginTransaction();
            if (sighting.PersonId is { } person && SqlGalleryStore.Scalar(c, tx, "SELECT 1 FROM persons WHERE id = @id", ("@id", person)) is null)
                throw new PersonNotFoundException(person);
            (string, object?)[] same = sighting.PersonId is { } p
                ? [("@source", sighting.Source), ("@event", sighting.EventId), ("@person", p)]
                : [("@source", sighting.Source), ("@event", sighting.EventId)];
            var existing = sighting.EventId is null ? null : SqlGalleryStore.Scalar(c, tx,
                "SELECT id FROM sightings WHERE source = @source AND event_id = @event AND " +
                (sighting.PersonId is null ? "person_id IS NULL" : "person_id = @person") + " ORDER BY id DESC LIMIT 1", same);
            long id;
            if (existing is long found)
            {
                id = found;
                SqlGalleryStore.NonQuery(c, tx, "UPDATE sightings SET ended = @at WHERE id = @id AND ended < @at", ("@id", id), ("@at", at));
                SqlGalleryStore.NonQuery(c, tx, "UPDATE sightings SET started = @at WHERE id = @id AND started > @at", ("@id", id), ("@at", at));
                SqlGalleryStore.NonQuery(c, tx,
                    """
                    UPDATE sightings SET box_x = @x, box_y = @y, box_w = @w, box_h = @h, score = @score, embedding = @embedding,
                        model_id = @model, image_sha256 = @sha, thumbnail = @thumbnail, confidence = @confidence, distance = @distance
                    WHERE id = @id AND box_w * box_h * score < @quality
                    """, [.. face, ("@id", id), ("@quality", quality)]);
            }
            else
            {
                id = (long)SqlGalleryStore.Scalar(c, tx,
                    """
                    INSERT INTO sightings(camera, source, event_id, started, ended, person_id, confidence, distance,
                        box_x, box_y, box_w, box_h, score, embedding, model_id, image_sha256, thumbnail)
                    VALUES (@camera, @source, @event, @at, @at, @person, @confidence, @distance,
                        @x, @y, @w, @h, @score, @embedding, @model, @sha, @thumbnail)
                    RETURNING id
                    """,
                    [.. face, ("@camera", sighting.Camera), ("@source", sighting.Source), ("@event", sighting.EventId), ("@at", at),
                     ("@person", sighting.PersonId)])!;
            }
            var pruned = Prune(c, tx, DateTime.UtcNow, keep: id); // what was just reported is acknowledged: the next write prunes it
            tx.Commit();
            return (id, pruned);
        });
        if (pruned > 0) _db.Run(c => { _db.AfterDelete(c); return 0; });
        return Get(id) ?? throw new GalleryUnavailableException($"sighting {id} vanished right after it was written");
    }

    /// <summary>The sighting with this id, or null.</summary>
    public Sighting? Get(long id) =>
        _db.Run(c => SqlGalleryStore.ReadAll(SqlGalleryStore.Command(c, null, $"SELECT {Columns} {From} WHERE s.id = @id", ("@id", id)), ToSighting)).FirstOrDefault();

    /// <summary>The thumbnail kept with a sighting, or null.</summary>
    public byte[]? GetThumbnail(long id) => _db.Run(c => SqlGalleryStore.Scalar(c, null, "SELECT thumbnail FROM sightings WHERE id = @id", ("@id", id)) as byte[]);

    /// <summary>Sightings matching <paramref name="query"/>, newest (highest id) first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is not between 1 and <see cref="MaxPage"/>.</exception>
    public IReadOnlyList<Sighting> List(SightingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxPage, nameof(query));
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", query.Limit) };
        void Filter(string condition, string name, object? value)
        {
            where.Add(condition);
            parameters.Add((name, value));
        }
        if (query.Camera is { } camera) Filter("s.camera = @camera", "@camera", camera);
        if (query.PersonId is { } person) Filter("s.person_id = @person", "@person", person);
        if (query.Unknown is true) where.Add("s.person_id IS NULL");
        if (query.Unknown is false) where.Add("s.person_id IS NOT NULL");
        if (query.SinceUtc is { } since) Filter("s.ended >= @since", "@since", _db.TimeValue(since.ToUniversalTime()));
        if (query.BeforeId is { } before) Filter("s.id < @before", "@before", before);
        var sql = $"SELECT {Columns} {From}{(where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")} ORDER BY s.id DESC LIMIT @limit";
        return _db.Run(c => SqlGalleryStore.ReadAll(SqlGalleryStore.Command(c, null, sql, [.. parameters]), ToSighting));
    }

    /// <summary>Names the person of a sighting (after a user said who it is); its decision's confidence no longer applies.</summary>
    /// <returns>The sighting as updated, or null when there is no such sighting.</returns>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    public Sighting? Assign(long id, long personId) => Update(id, "person_id = @person, confidence = NULL", personId, "sighting.assign");

    /// <summary>Removes the name from a sighting ("that was not me"): it becomes unknown.</summary>
    /// <returns>The sighting as updated, or null when there is no such sighting.</returns>
    public Sighting? ClearPerson(long id) => Update(id, "person_id = NULL, confidence = NULL", null, "sighting.unassign");

    /// <summary>Deletes a sighting; its descriptor's, thumbnail's and image hash's bytes are overwritten where the store does that.</summary>
    /// <returns>False when there was no such sighting.</returns>
    public bool Delete(long id)
    {
        var deleted = _db.Run(c =>
        {
            using var tx = c.BeginTransaction();
            var n = SqlGalleryStore.NonQuery(c, tx, "DELETE FROM sightings WHERE id = @id", ("@id", id));
            if (n > 0) AuditLog.Append(c, tx, "sighting.delete", id);
            tx.Commit();
            return n;
        });
        if (deleted > 0) _db.Run(c => { _db.AfterDelete(c); return 0; });
        return deleted > 0;
    }

    /// <summary>Applies retention now (it also runs on every write).</summary>
    /// <returns>How many sightings were deleted.</returns>
    public int Prune()
    {
        var pruned = _db.Run(c =>
        {
            using var tx = c.BeginTransaction();
            var n = Prune(c, tx, DateTime.UtcNow);
            tx.Commit();
            return n;
        });
        if (pruned > 0) _db.Run(c => { _db.AfterDelete(c); return 0; });
        return pruned;
    }

    /// <summary>How many sightings are stored.</summary>
    public long Count() => _db.Run(c => SqlGalleryStore.Long(SqlGalleryStore.Scalar(c, null, "SELECT count(*) FROM sightings")));

    private Sighting? Update(long id, string set, long? personId, string action)
    {
        var changed = _db.Run(c =>
        {
            using var tx = c.BeginTransaction();
            if (personId is { } person && SqlGalleryStore.Scalar(c, tx, "SELECT 1 FROM persons WHERE id = @id", ("@id", person)) is null)
                throw new PersonNotFoundException(person);
            (string, object?)[] parameters = personId is null ? [("@id", id)] : [("@id", id), ("@person", personId)];
            var n = SqlGalleryStore.NonQuery(c, tx, $"UPDATE sightings SET {set} WHERE id = @id", parameters);
            if (n > 0) AuditLog.Append(c, tx, action, id, personId is { } p ? $"person {p}" : null);
            tx.Commit();
            return n;
        });
        return changed == 0 ? null : Get(id);
    }

    private int Prune(DbConnection c, DbTransaction tx, DateTime nowUtc, long keep = 0)
    {
        var old = SqlGalleryStore.NonQuery(c, tx, "DELETE FROM sightings WHERE ended < @cutoff AND id <> @keep",
            ("@cutoff", _db.TimeValue(nowUtc.AddDays(-Retention.Days))), ("@keep", keep));
        var over = SqlGalleryStore.NonQuery(c, tx,
            "DELETE FROM sightings WHERE id <= (SELECT id FROM sightings ORDER BY id DESC LIMIT 1 OFFSET @keep)",
            ("@keep", Retention.MaxCount));
        return old + over;
    }

    private Sighting ToSighting(DbDataReader r)
    {
        var vector = new float[FaceEmbedding.Dimensions];
        BlobCodec.DecodeFloats((byte[])r.GetValue(15), vector);
        var face = new Face(new BoundingBox(r.GetDouble(10), r.GetDouble(11), r.GetDouble(12), r.GetDouble(13)),
            Convert.ToSingle(r.GetValue(14), CultureInfo.InvariantCulture), Embedding: new FaceEmbedding(vector, r.GetString(16)));
        float? Real(int i) => r.IsDBNull(i) ? null : Convert.ToSingle(r.GetValue(i), CultureInfo.InvariantCulture);
        return new Sighting(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
            _db.ReadTime(r, 4), _db.ReadTime(r, 5), r.IsDBNull(6) ? null : r.GetInt64(6), r.IsDBNull(7) ? null : r.GetString(7),
            Real(8), Real(9), face, r.GetString(17));
    }
}
