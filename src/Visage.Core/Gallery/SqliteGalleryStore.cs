using System.Globalization;
using Microsoft.Data.Sqlite;
using Visage.Faces;

namespace Visage.Gallery;

/// <summary>
/// The embedded gallery: one SQLite file in WAL mode. Every connection runs with foreign keys on (deleting a person
/// cascades to their faces), <c>secure_delete</c> on (deleted rows are overwritten with zeros, and a delete is followed
/// by a truncating checkpoint so the old page images leave the <c>-wal</c> file too), <c>synchronous=FULL</c> (a
/// committed write survives a power cut) and a busy timeout (a second process waits for the lock instead of failing).
/// Safe to use from many threads; several processes may share the file.
/// </summary>
public sealed class SqliteGalleryStore : IGalleryStore
{
    /// <summary>How long a write waits for another connection's lock by default.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    private const string PersonColumns =
        "p.id, p.name, p.created, (SELECT count(*) FROM faces f WHERE f.person_id = p.id)";

    private const string FaceColumns =
        "id, person_id, image_sha256, box_x, box_y, box_w, box_h, landmarks, embedding, model_id, created";

    private readonly string _connectionString;
    private readonly string _connectionPragmas;

    /// <summary>
    /// Opens the gallery at <paramref name="path"/>, creating the file (and its directory) when missing. An existing file
    /// is checked with reads only before anything is written to it.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">How long to wait for another connection's lock (default <see cref="DefaultBusyTimeout"/>).</param>
    /// <exception cref="GalleryCorruptException">The file is not a SQLite database, is damaged, or belongs to another application; it is not modified.</exception>
    /// <exception cref="GalleryUnavailableException">The file cannot be created or opened, or its schema is newer than this code.</exception>
    public SqliteGalleryStore(string path, TimeSpan? busyTimeout = null)
    {
        Location = Path.GetFullPath(path);
        var timeout = busyTimeout ?? DefaultBusyTimeout;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Location,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        }.ToString();
        _connectionPragmas =
            $"PRAGMA busy_timeout={(long)timeout.TotalMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA synchronous=FULL;";

        SqliteFileHeader.Check(Location);
        try
        {
            var directory = Path.GetDirectoryName(Location);
            if (directory is not null) Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GalleryUnavailableException($"the gallery's directory for '{Location}' cannot be created: {e.Message}", e);
        }
        try
        {
            Run(c => { SqliteSchema.Prepare(c, Location); return 0; });
        }
        catch
        {
            ReleaseConnections(); // don't keep a rejected file open
            throw;
        }
    }

    /// <inheritdoc />
    public string Location { get; }

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
                id = (long)Scalar(c, tx, "INSERT INTO persons(name, created) VALUES ($name, $created) RETURNING id",
                    ("$name", name), ("$created", Now()))!;
            }
            catch (SqliteException e) when (e.SqliteExtendedErrorCode == SqliteErrors.ConstraintUnique)
            {
                throw new DuplicatePersonException(name, e);
            }
            var person = ReadPerson(c, tx, "p.id = $id", ("$id", id))!;
            tx.Commit();
            return person;
        });
    }

    /// <inheritdoc />
    public Person? GetPerson(long personId) => Run(c => ReadPerson(c, null, "p.id = $id", ("$id", personId)));

    /// <inheritdoc />
    public Person? FindPerson(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Run(c => ReadPerson(c, null, "p.name = $name", ("$name", name)));
    }

    /// <inheritdoc />
    public IReadOnlyList<Person> ListPersons(int offset, int limit)
    {
        GalleryArguments.CheckPage(offset, limit);
        return Run(c =>
        {
            using var command = Command(c, null, $"SELECT {PersonColumns} FROM persons p ORDER BY p.id LIMIT $limit OFFSET $offset",
                ("$limit", limit), ("$offset", offset));
            using var reader = command.ExecuteReader();
            var persons = new List<Person>();
            while (reader.Read()) persons.Add(ToPerson(reader));
            return persons;
        });
    }

    /// <inheritdoc />
    public Person RenamePerson(long personId, string newName)
    {
        GalleryArguments.CheckName(newName, nameof(newName));
        return Run(c =>
        {
            using var tx = c.BeginTransaction();
            try
            {
                var changed = NonQuery(c, tx, "UPDATE persons SET name = $name WHERE id = $id", ("$name", newName), ("$id", personId));
                if (changed == 0) throw new PersonNotFoundException(personId);
            }
            catch (SqliteException e) when (e.SqliteExtendedErrorCode == SqliteErrors.ConstraintUnique)
            {
                throw new DuplicatePersonException(newName, e);
            }
            var person = ReadPerson(c, tx, "p.id = $id", ("$id", personId))!;
            tx.Commit();
            return person;
        });
    }

    /// <inheritdoc />
    public bool DeletePerson(long personId) =>
        Delete("DELETE FROM persons WHERE id = $id", personId); // faces go by ON DELETE CASCADE

    /// <inheritdoc />
    public Enrollment AddFace(long personId, string imageSha256, BoundingBox box, FaceLandmarks? landmarks, FaceEmbedding embedding, byte[]? thumbnail = null)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        var sha = GalleryArguments.NormalizeSha256(imageSha256, nameof(imageSha256));
        var vector = BlobCodec.EncodeFloats(embedding.Vector);
        var points = landmarks is null ? null : BlobCodec.EncodeLandmarks(landmarks);
        return Run(c =>
        {
            using var tx = c.BeginTransaction();
            var name = Scalar(c, tx, "SELECT name FROM persons WHERE id = $id", ("$id", personId)) as string
                ?? throw new PersonNotFoundException(personId);
            var inserted = Scalar(c, tx,
                """
                INSERT INTO faces(person_id, image_sha256, box_x, box_y, box_w, box_h, landmarks, embedding, model_id, created, thumbnail)
                VALUES ($person, $sha, $x, $y, $w, $h, $landmarks, $embedding, $model, $created, $thumbnail)
                ON CONFLICT (person_id, image_sha256, model_id) DO NOTHING
                RETURNING id
                """,
                ("$person", personId), ("$sha", sha), ("$x", box.X), ("$y", box.Y), ("$w", box.Width), ("$h", box.Height),
                ("$landmarks", points), ("$embedding", vector), ("$model", embedding.ModelId), ("$created", Now()), ("$thumbnail", thumbnail));
            var face = inserted is long id
                ? ReadFace(c, tx, "id = $id", ("$id", id))
                : ReadFace(c, tx, "person_id = $person AND image_sha256 = $sha AND model_id = $model",
                    ("$person", personId), ("$sha", sha), ("$model", embedding.ModelId));
            tx.Commit();
            return new Enrollment(face!, name, Created: inserted is long);
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<StoredFace> ListFaces(long personId) => Run(c =>
    {
        using var command = Command(c, null, $"SELECT {FaceColumns} FROM faces WHERE person_id = $person ORDER BY id", ("$person", personId));
        using var reader = command.ExecuteReader();
        var faces = new List<StoredFace>();
        while (reader.Read()) faces.Add(ToFace(reader));
        return faces;
    });

    /// <inheritdoc />
    public StoredFace? GetFace(long faceId) => Run(c => ReadFace(c, null, "id = $id", ("$id", faceId)));

    /// <inheritdoc />
    public byte[]? GetThumbnail(long faceId) =>
        Run(c => Scalar(c, null, "SELECT thumbnail FROM faces WHERE id = $id", ("$id", faceId)) as byte[]);

    /// <inheritdoc />
    public bool DeleteFace(long faceId) => Delete("DELETE FROM faces WHERE id = $id", faceId);

    /// <inheritdoc />
    public GalleryCounts Count(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        return Run(c =>
        {
            using var command = Command(c, null,
                """
                SELECT (SELECT count(*) FROM persons),
                       (SELECT count(*) FROM faces WHERE model_id = $model),
                       (SELECT count(*) FROM faces WHERE model_id <> $model)
                """, ("$model", modelId));
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
                WHERE f.model_id = $model ORDER BY f.id
                """, ("$model", modelId));
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

    /// <summary>Closes the pooled connections to the file (the last close checkpoints and removes the <c>-wal</c> file).</summary>
    public void Dispose() => ReleaseConnections();

    private bool Delete(string sql, long id) => Run(c =>
    {
        int deleted;
        using (var tx = c.BeginTransaction())
        {
            deleted = NonQuery(c, tx, sql, ("$id", id));
            tx.Commit();
        }
        // secure_delete zeroed the rows in the new page images; the old images still sit in the WAL until a checkpoint
        // copies the new ones home and TRUNCATE empties the WAL. If a reader in another process pins an older snapshot
        // the checkpoint stops short (without error) and the next one finishes the job.
        if (deleted > 0) NonQuery(c, null, "PRAGMA wal_checkpoint(TRUNCATE)");
        return deleted > 0;
    });

    private T Run<T>(Func<SqliteConnection, T> work)
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            NonQuery(connection, null, _connectionPragmas);
            return work(connection);
        }
        catch (SqliteException e) when (SqliteErrors.Translate(e, Location) is { } translated)
        {
            throw translated;
        }
        catch (InvalidDataException e)
        {
            throw new GalleryCorruptException(Location, e.Message, e);
        }
    }

    private void ReleaseConnections()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = c.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static object? Scalar(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        return command.ExecuteScalar();
    }

    private static int NonQuery(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static Person? ReadPerson(SqliteConnection c, SqliteTransaction? tx, string where, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, $"SELECT {PersonColumns} FROM persons p WHERE {where}", parameters);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ToPerson(reader) : null;
    }

    private static StoredFace? ReadFace(SqliteConnection c, SqliteTransaction? tx, string where, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, $"SELECT {FaceColumns} FROM faces WHERE {where}", parameters);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ToFace(reader) : null;
    }

    private static Person ToPerson(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), ParseTime(r.GetString(2)), r.GetInt32(3));

    private static StoredFace ToFace(SqliteDataReader r)
    {
        var vector = new float[FaceEmbedding.Dimensions];
        BlobCodec.DecodeFloats((byte[])r.GetValue(8), vector);
        var landmarks = r.IsDBNull(7) ? null : BlobCodec.DecodeLandmarks((byte[])r.GetValue(7));
        return new StoredFace(
            r.GetInt64(0), r.GetInt64(1), r.GetString(2),
            new BoundingBox(r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6)),
            landmarks, new FaceEmbedding(vector, r.GetString(9)), ParseTime(r.GetString(10)));
    }

    // ISO 8601 round-trip text: sorts as time, reads the same in any tool.
    private static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private static DateTime ParseTime(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
