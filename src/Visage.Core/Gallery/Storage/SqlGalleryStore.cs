using System.Data.Common;
using Visage.Faces;

namespace Visage.Gallery.Storage;

/// <summary>
/// What <see cref="SqliteGalleryStore"/> and <see cref="PostgresGalleryStore"/> share: the same tables, so the same
/// SQL (with <c>@name</c> parameters, which both drivers read) and the same row mapping. Each store supplies its
/// connections and error translation, how it writes and reads times, and what follows a delete.
/// </summary>
public abstract class SqlGalleryStore : IGalleryStore
{
    private const string PersonColumns =
        "p.id, p.name, p.created, (SELECT count(*) FROM faces f WHERE f.person_id = p.id)";

    private const string RejectionColumns = "id, person_id, embedding, model_id, created";

    private const string FaceColumns =
        "id, person_id, image_sha256, box_x, box_y, box_w, box_h, landmarks, embedding, model_id, created, quality";

    private protected SqlGalleryStore(string location) => Location = location;

    /// <inheritdoc />
    public string Location { get; }

    /// <summary>Opens a connection, runs <paramref name="work"/> and translates the driver's failures into gallery exceptions.</summary>
    internal abstract T Run<T>(Func<DbConnection, T> work);

    /// <summary>True when a statement failed on a UNIQUE constraint.</summary>
    private protected abstract bool IsUniqueViolation(DbException e);

    /// <summary>The parameter value stored for a time.</summary>
    internal abstract object TimeValue(DateTime utc);

    /// <summary>A stored time, as UTC.</summary>
    internal abstract DateTime ReadTime(DbDataReader reader, int ordinal);

    /// <summary>Appended to the read of a person's row while a face is added (a row lock where the database has one).</summary>
    private protected virtual string LockPersonRow => "";

    /// <summary>
    /// The first statement of a write that changes what an index holds (PostgreSQL takes <see cref="GalleryChanges.WriteLock"/>,
    /// before any row lock, so writers queue in one order and never deadlock on it); empty where writes are serial anyway.
    /// </summary>
    private protected virtual string ChangeLock => "";

    /// <summary>Runs after rows were deleted and committed (SQLite pushes the overwritten pages out of its WAL).</summary>
    internal virtual void AfterDelete(DbConnection connection) { }

    /// <summary>A read-only transaction whose reads all see one snapshot of the database.</summary>
    internal abstract DbTransaction BeginSnapshot(DbConnection connection);

    /// <summary>What an INSERT needs to set an identity column itself (PostgreSQL's ids are GENERATED ALWAYS).</summary>
    internal virtual string OverridingIdentity => "";

    /// <summary>The last id a table's generator handed out (deleted rows' ids included), 0 for none.</summary>
    internal abstract long LastId(DbConnection c, DbTransaction? tx, string table);

    /// <summary>Moves a table's id generator past <paramref name="last"/> (never backwards): ids are not handed out twice.</summary>
    internal abstract void MoveIdsPast(DbConnection c, DbTransaction tx, string table, long last);

    /// <inheritdoc />
    public abstract ErasureReport CompleteErasures(TimeSpan settle);

    /// <inheritdoc />
    public Person CreatePerson(string name)
    {
        GalleryArguments.CheckName(name, nameof(name));
        return Run(c =>
        {
            using var tx = c.BeginTransaction();
            long id;
            try
            {
                id = (long)Scalar(c, tx, "INSERT INTO persons(name, created) VALUES (@name, @created) RETURNING id",
                    ("@name", name), ("@created", TimeValue(DateTime.UtcNow)))!;
            }
            catch (DbException e) when (IsUniqueViolation(e))
            {
                throw new DuplicatePersonException(name, e);
            }
            var person = ReadPerson(c, tx, "p.id = @id", ("@id", id))!;
            AuditLog.Append(c, tx, "person.create", id);
            tx.Commit();
            return person;
        });
    }

    /// <inheritdoc />
    public Person? GetPerson(long personId) => Run(c => ReadPerson(c, null, "p.id = @id", ("@id", personId)));

    /// <inheritdoc />
    public Person? FindPerson(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Run(c => ReadPerson(c, null, "p.name = @name", ("@name", name)));
    }

    /// <inheritdoc />
    public IReadOnlyList<Person> ListPersons(int offset, int limit)
    {
        GalleryArguments.CheckPage(offset, limit);
        return Run(c => ReadAll(Command(c, null, $"SELECT {PersonColumns} FROM persons p ORDER BY p.id LIMIT @limit OFFSET @offset",
            ("@limit", limit), ("@offset", offset)), ToPerson));
    }

    /// <inheritdoc />
    public Person RenamePerson(long personId, string newName)
    {
        GalleryArguments.CheckName(newName, nameof(newName));
        return Run(c =>
        {
            using var tx = BeginChange(c);
            try
            {
                var changed = NonQuery(c, tx, "UPDATE persons SET name = @name WHERE id = @id", ("@name", newName), ("@id", personId));
                if (changed == 0) throw new PersonNotFoundException(personId);
            }
            catch (DbException e) when (IsUniqueViolation(e))
            {
                throw new DuplicatePersonException(newName, e);
            }
            var person = ReadPerson(c, tx, "p.id = @id", ("@id", personId))!;
            AuditLog.Append(c, tx, "person.rename", personId);
            tx.Commit();
            return person;
        });
    }

    /// <inheritdoc />
    public bool DeletePerson(long personId) =>
        Delete("DELETE FROM persons WHERE id = @id", personId, "person.delete"); // faces, rejections, sightings go by ON DELETE CASCADE

    /// <inheritdoc />
    public EnrolledFace AddFace(long personId, string imageSha256, BoundingBox box, FaceLandmarks? landmarks, FaceEmbedding embedding, byte[]? thumbnail = null, float? quality = null)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        var sha = GalleryArguments.NormalizeSha256(imageSha256, nameof(imageSha256));
        var vector = BlobCodec.EncodeFloats(embedding.Vector);
        var points = landmarks is null ? null : BlobCodec.EncodeLandmarks(landmarks);
        return Run(c =>
        {
            using var tx = BeginChange(c);
            var name = Scalar(c, tx, "SELECT name FROM persons WHERE id = @id" + LockPersonRow, ("@id", personId)) as string
                ?? throw new PersonNotFoundException(personId);
            var inserted = Scalar(c, tx,
                """
                INSERT INTO faces(person_id, image_sha256, box_x, box_y, box_w, box_h, landmarks, embedding, model_id, created, thumbnail, quality)
                VALUES (@person, @sha, @x, @y, @w, @h, @landmarks, @embedding, @model, @created, @thumbnail, @quality)
                ON CONFLICT (person_id, image_sha256, model_id) DO NOTHING
                RETURNING id
                """,
                ("@person", personId), ("@sha", sha), ("@x", box.X), ("@y", box.Y), ("@w", box.Width), ("@h", box.Height),
                ("@landmarks", points), ("@embedding", vector), ("@model", embedding.ModelId), ("@created", TimeValue(DateTime.UtcNow)),
                ("@thumbnail", thumbnail), ("@quality", quality));
            var face = inserted is long id
                ? ReadFace(c, tx, "id = @id", ("@id", id))
                : ReadFace(c, tx, "person_id = @person AND image_sha256 = @sha AND model_id = @model",
                    ("@person", personId), ("@sha", sha), ("@model", embedding.ModelId));
            if (inserted is long added) AuditLog.Append(c, tx, "face.add", added, $"person {personId}");
            tx.Commit();
            return new EnrolledFace(face!, name, Created: inserted is long);
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<StoredFace> ListFaces(long personId) =>
        Run(c => ReadAll(Command(c, null, $"SELECT {FaceColumns} FROM faces WHERE person_id = @person ORDER BY id", ("@person", personId)), ToFace));

    /// <inheritdoc />
    public StoredFace? GetFace(long faceId) => Run(c => ReadFace(c, null, "id = @id", ("@id", faceId)));

    /// <inheritdoc />
    public byte[]? GetThumbnail(long faceId) =>
        Run(c => Scalar(c, null, "SELECT thumbnail FROM faces WHERE id = @id", ("@id", faceId)) as byte[]);

    /// <inheritdoc />
    public bool DeleteFace(long faceId) => Delete("DELETE FROM faces WHERE id = @id", faceId, "face.delete");

    /// <inheritdoc />
    public StoredRejection AddRejection(long personId, FaceEmbedding embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        var vector = BlobCodec.EncodeFloats(embedding.Vector);
        return Run(c =>
        {
            using var tx = BeginChange(c);
            _ = Scalar(c, tx, "SELECT name FROM persons WHERE id = @id" + LockPersonRow, ("@id", personId)) as string
                ?? throw new PersonNotFoundException(personId);
            var id = (long)Scalar(c, tx,
                "INSERT INTO rejections(person_id, embedding, model_id, created) VALUES (@person, @embedding, @model, @created) RETURNING id",
                ("@person", personId), ("@embedding", vector), ("@model", embedding.ModelId), ("@created", TimeValue(DateTime.UtcNow)))!;
            var rejection = ReadAll(Command(c, tx, $"SELECT {RejectionColumns} FROM rejections WHERE id = @id", ("@id", id)), ToRejection)[0];
            AuditLog.Append(c, tx, "rejection.add", id, $"person {personId}");
            tx.Commit();
            return rejection;
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<StoredRejection> ListRejections(long personId) =>
        Run(c => ReadAll(Command(c, null, $"SELECT {RejectionColumns} FROM rejections WHERE person_id = @person ORDER BY id", ("@person", personId)), ToRejection));

    /// <inheritdoc />
    public void LoadRejections(string modelId, RejectionVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ArgumentNullException.ThrowIfNull(visit);
        Run(c =>
        {
            using var command = Command(c, null, "SELECT id, person_id, embedding FROM rejections WHERE model_id = @model ORDER BY id", ("@model", modelId));
            using var reader = command.ExecuteReader();
            var vector = new float[FaceEmbedding.Dimensions];
            while (reader.Read())
            {
                BlobCodec.DecodeFloats((byte[])reader.GetValue(2), vector);
                visit(reader.GetInt64(0), reader.GetInt64(1), vector);
            }
            return 0;
        });
    }

    /// <inheritdoc />
    public GalleryCounts Count(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        return Run(c =>
        {
            using var command = Command(c, null,
                """
                SELECT (SELECT count(*) FROM persons),
                       (SELECT count(*) FROM faces WHERE model_id = @model),
                       (SELECT count(*) FROM faces WHERE model_id <> @model)
                """, ("@model", modelId));
            using var reader = command.ExecuteReader();
            reader.Read();
            return new GalleryCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        });
    }

    /// <inheritdoc />
    public void LoadVectors(string modelId, FaceVectorVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ArgumentNullException.ThrowIfNull(visit);
        Run(c =>
        {
            using var command = Command(c, null,
                """
                SELECT f.id, f.person_id, p.name, f.embedding
                FROM faces f JOIN persons p ON p.id = f.person_id
                WHERE f.model_id = @model ORDER BY f.id
                """, ("@model", modelId));
            using var reader = command.ExecuteReader();
            // One buffer for every row, and each name read once per person: nothing allocated per face.
            var bytes = new byte[FaceEmbedding.Dimensions * sizeof(float)];
            var vector = new float[FaceEmbedding.Dimensions];
            var names = new Dictionary<long, string>();
            while (reader.Read())
            {
                var faceId = reader.GetInt64(0);
                var personId = reader.GetInt64(1);
                if (!names.TryGetValue(personId, out var name)) names[personId] = name = reader.GetString(2);
                if (reader.GetBytes(3, 0, bytes, 0, bytes.Length) != bytes.Length)
                    throw new GalleryCorruptException(Location, $"face {faceId} has a descriptor of the wrong length");
                BlobCodec.DecodeFloats(bytes, vector);
                visit(faceId, personId, name, vector);
            }
            return 0;
        });
    }

    /// <inheritdoc />
    public long LatestChange() => Run(c => Long(Scalar(c, null,
        // Once pruned empty, the log still remembers how far it went: a new reader must not start before that.
        "SELECT max(n) FROM (SELECT coalesce(max(seq), 0) AS n FROM gallery_changes UNION ALL SELECT pruned_through FROM gallery_log_state) t")));

    /// <inheritdoc />
    public IReadOnlyList<GalleryChange> ReadChanges(string modelId, long afterSeq, int limit)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Run(c =>
        {
            // One snapshot: a pruning that commits between the two reads cannot hide a gap.
            using var tx = BeginSnapshot(c);
            var prunedThrough = Long(Scalar(c, tx, "SELECT pruned_through FROM gallery_log_state"));
            if (afterSeq < prunedThrough) throw new ChangeLogPrunedException(afterSeq, prunedThrough);
            var changes = ReadAll(Command(c, tx,
            """
            SELECT c.seq, c.op, c.person_id, c.face_id, p.name,
                   CASE WHEN f.model_id = @model THEN f.embedding WHEN r.model_id = @model THEN r.embedding END, c.rejection_id
            FROM gallery_changes c
            LEFT JOIN persons p ON p.id = c.person_id
            LEFT JOIN faces f ON f.id = c.face_id
            LEFT JOIN rejections r ON r.id = c.rejection_id
            WHERE c.seq > @after ORDER BY c.seq LIMIT @limit
            """, ("@model", modelId), ("@after", afterSeq), ("@limit", limit)), ToChange);
            tx.Commit();
            return changes;
        });
    }

    /// <inheritdoc />
    public void RecordReader(string readerId, long seq, DateTime nowUtc)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(readerId);
        Run(c => NonQuery(c, null,
            "INSERT INTO gallery_readers(id, seq, seen) VALUES (@id, @seq, @seen) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, seen = excluded.seen",
            ("@id", readerId), ("@seq", seq), ("@seen", TimeValue(nowUtc))));
    }

    /// <inheritdoc />
    public void ForgetReader(string readerId)
    {
        ArgumentNullException.ThrowIfNull(readerId);
        Run(c => NonQuery(c, null, "DELETE FROM gallery_readers WHERE id = @id", ("@id", readerId)));
    }

    /// <inheritdoc />
    public ChangeLogPruning PruneChanges(TimeSpan window, DateTime nowUtc)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var cutoff = TimeValue(nowUtc - window);
        return Run(c =>
        {
            using var tx = c.BeginTransaction();
            var forgotten = NonQuery(c, tx, "DELETE FROM gallery_readers WHERE seen < @cutoff", ("@cutoff", cutoff));
            // Read by every live reader (none registered: nothing is known to be read), or older than the window.
            var read = Long(Scalar(c, tx, "SELECT coalesce(min(seq), 0) FROM gallery_readers"));
            var aged = Long(Scalar(c, tx, "SELECT coalesce(max(seq), 0) FROM gallery_log_marks WHERE at < @cutoff", ("@cutoff", cutoff)));
            var through = Math.Max(read, aged);
            var deleted = NonQuery(c, tx, "DELETE FROM gallery_changes WHERE seq <= @through", ("@through", through));
            NonQuery(c, tx, "UPDATE gallery_log_state SET pruned_through = @through WHERE pruned_through < @through", ("@through", through));
            NonQuery(c, tx, "DELETE FROM gallery_log_marks WHERE at < @cutoff", ("@cutoff", cutoff));
            NonQuery(c, tx, "INSERT INTO gallery_log_marks(at, seq) SELECT @now, coalesce(max(seq), 0) FROM gallery_changes", ("@now", TimeValue(nowUtc)));
            var remaining = Long(Scalar(c, tx, "SELECT count(*) FROM gallery_changes"));
            var prunedThrough = Long(Scalar(c, tx, "SELECT pruned_through FROM gallery_log_state"));
            tx.Commit();
            return new ChangeLogPruning(deleted, prunedThrough, forgotten, remaining);
        });
    }

    /// <inheritdoc />
    public GalleryRows EraseAll() => Run(c =>
    {
        GalleryRows erased;
        using (var tx = BeginChange(c))
        {
            erased = new GalleryRows(Count(c, tx, "persons"), Count(c, tx, "faces"), Count(c, tx, "rejections"), Count(c, tx, "sightings"));
            NonQuery(c, tx, "DELETE FROM sightings");
            NonQuery(c, tx, "DELETE FROM persons"); // faces and rejections go by ON DELETE CASCADE
            AuditLog.Append(c, tx, "gallery.erase", null, erased.ToString());
            tx.Commit();
        }
        AfterDelete(c);
        return erased;
    });

    /// <summary>Releases the store's connections.</summary>
    public abstract void Dispose();

    internal DbTransaction BeginChange(DbConnection c)
    {
        var tx = c.BeginTransaction();
        if (ChangeLock.Length > 0) NonQuery(c, tx, ChangeLock);
        return tx;
    }

    private bool Delete(string sql, long id, string action) => Run(c =>
    {
        int deleted;
        using (var tx = BeginChange(c))
        {
            deleted = NonQuery(c, tx, sql, ("@id", id));
            if (deleted > 0) AuditLog.Append(c, tx, action, id);
            tx.Commit();
        }
        if (deleted > 0) AfterDelete(c);
        return deleted > 0;
    });

    /// <summary>A command in <paramref name="tx"/> (or none) with <c>@name</c> parameters (null as SQL NULL), on either database.</summary>
    public static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = c.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    internal static int NonQuery(DbConnection c, DbTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    internal static object? Scalar(DbConnection c, DbTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        return command.ExecuteScalar();
    }

    internal static long Long(object? value) => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);

    private static long Count(DbConnection c, DbTransaction tx, string table) => Long(Scalar(c, tx, $"SELECT count(*) FROM {table}"));

    internal static List<T> ReadAll<T>(DbCommand command, Func<DbDataReader, T> map)
    {
        using (command)
        {
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read()) rows.Add(map(reader));
            return rows;
        }
    }

    private Person? ReadPerson(DbConnection c, DbTransaction? tx, string where, params (string, object?)[] parameters) =>
        ReadAll(Command(c, tx, $"SELECT {PersonColumns} FROM persons p WHERE {where}", parameters), ToPerson).FirstOrDefault();

    private StoredFace? ReadFace(DbConnection c, DbTransaction? tx, string where, params (string, object?)[] parameters) =>
        ReadAll(Command(c, tx, $"SELECT {FaceColumns} FROM faces WHERE {where}", parameters), ToFace).FirstOrDefault();

    private Person ToPerson(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), ReadTime(r, 2), Convert.ToInt32(r.GetValue(3), System.Globalization.CultureInfo.InvariantCulture));

    private static GalleryChange ToChange(DbDataReader r)
    {
        float[]? vector = null;
        if (!r.IsDBNull(5))
        {
            vector = new float[FaceEmbedding.Dimensions];
            BlobCodec.DecodeFloats((byte[])r.GetValue(5), vector);
        }
        var kind = r.GetString(1) switch
        {
            "add" => GalleryChangeKind.Add,
            "remove" => GalleryChangeKind.Remove,
            "rename" => GalleryChangeKind.Rename,
            "reject" => GalleryChangeKind.Reject,
            "unreject" => GalleryChangeKind.Unreject,
            var op => throw new InvalidDataException($"change {r.GetInt64(0)} has an unknown operation '{op}'"),
        };
        return new GalleryChange(r.GetInt64(0), kind, r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3),
            r.IsDBNull(4) ? null : r.GetString(4), vector, r.IsDBNull(6) ? null : r.GetInt64(6));
    }

    private StoredRejection ToRejection(DbDataReader r)
    {
        var vector = new float[FaceEmbedding.Dimensions];
        BlobCodec.DecodeFloats((byte[])r.GetValue(2), vector);
        return new StoredRejection(r.GetInt64(0), r.GetInt64(1), new FaceEmbedding(vector, r.GetString(3)), ReadTime(r, 4));
    }

    private StoredFace ToFace(DbDataReader r)
    {
        var vector = new float[FaceEmbedding.Dimensions];
        BlobCodec.DecodeFloats((byte[])r.GetValue(8), vector);
        var landmarks = r.IsDBNull(7) ? null : BlobCodec.DecodeLandmarks((byte[])r.GetValue(7));
        return new StoredFace(
            r.GetInt64(0), r.GetInt64(1), r.GetString(2),
            new BoundingBox(r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6)),
            landmarks, new FaceEmbedding(vector, r.GetString(9)), ReadTime(r, 10), r.IsDBNull(11) ? null : Convert.ToSingle(r.GetValue(11), System.Globalization.CultureInfo.InvariantCulture));
    }
}
