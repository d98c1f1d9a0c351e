using Npgsql;
using NpgsqlTypes;
using Visage.Faces;

namespace Visage.Gallery;

/// <summary>
/// The server gallery: the same tables and behaviour as <see cref="SqliteGalleryStore"/> in a PostgreSQL database,
/// for several Visage processes (or machines) sharing one gallery. One <see cref="NpgsqlDataSource"/> (a connection
/// pool) per store; every write is one transaction committed before the method returns (PostgreSQL's default
/// <c>synchronous_commit=on</c> makes the commit durable). Safe to use from many threads.
/// </summary>
/// <remarks>
/// When the server cannot be reached every call throws <see cref="GalleryUnavailableException"/> and the pool is
/// cleared, so the first call after the server is back opens fresh connections: no restart is needed.
/// Deleted rows are removed from every query at once, but unlike SQLite's <c>secure_delete</c> PostgreSQL keeps their
/// bytes in dead row versions until <c>VACUUM</c> reuses the space (and in its write-ahead log until a checkpoint
/// recycles it): where erasure on disk matters, run <c>VACUUM</c> after deletions and keep the data directory encrypted.
/// </remarks>
public sealed class PostgresGalleryStore : IGalleryStore
{
    private const string PersonColumns =
        "p.id, p.name, p.created, (SELECT count(*) FROM faces f WHERE f.person_id = p.id)::int";

    private const string FaceColumns =
        "id, person_id, image_sha256, box_x, box_y, box_w, box_h, landmarks, embedding, model_id, created";

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Connects to <paramref name="location"/> and creates or migrates the gallery's tables.</summary>
    /// <param name="location">A key-value connection string (<c>Host=...;Database=...</c>) or a <c>postgresql://</c> URI.</param>
    /// <exception cref="ArgumentException">The connection string cannot be read.</exception>
    /// <exception cref="GalleryCorruptException">The database holds tables of that name that are not a Visage gallery.</exception>
    /// <exception cref="GalleryUnavailableException">The server cannot be reached, or the schema is newer than this code.</exception>
    public PostgresGalleryStore(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        var builder = PostgresLocation.Parse(location);
        Location = PostgresLocation.Describe(builder);
        _dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            Run(c => { PostgresSchema.Prepare(c, Location); return 0; });
        }
        catch
        {
            _dataSource.Dispose();
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
                id = (long)Scalar(c, tx, "INSERT INTO persons(name, created) VALUES (@name, now()) RETURNING id", ("name", name))!;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrors.UniqueViolation)
            {
                throw new DuplicatePersonException(name, e);
            }
            var person = ReadPerson(c, tx, "p.id = @id", ("id", id))!;
            tx.Commit();
            return person;
        });
    }

    /// <inheritdoc />
    public Person? GetPerson(long personId) => Run(c => ReadPerson(c, null, "p.id = @id", ("id", personId)));

    /// <inheritdoc />
    public Person? FindPerson(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Run(c => ReadPerson(c, null, "p.name = @name", ("name", name)));
    }

    /// <inheritdoc />
    public IReadOnlyList<Person> ListPersons(int offset, int limit)
    {
        GalleryArguments.CheckPage(offset, limit);
        return Run(c =>
        {
            using var command = Command(c, null, $"SELECT {PersonColumns} FROM persons p ORDER BY p.id LIMIT @limit OFFSET @offset",
                ("limit", limit), ("offset", offset));
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
                var changed = NonQuery(c, tx, "UPDATE persons SET name = @name WHERE id = @id", ("name", newName), ("id", personId));
                if (changed == 0) throw new PersonNotFoundException(personId);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrors.UniqueViolation)
            {
                throw new DuplicatePersonException(newName, e);
            }
            var person = ReadPerson(c, tx, "p.id = @id", ("id", personId))!;
            tx.Commit();
            return person;
        });
    }

    /// <inheritdoc />
    public bool DeletePerson(long personId) =>
        Run(c => NonQuery(c, null, "DELETE FROM persons WHERE id = @id", ("id", personId)) > 0); // faces go by ON DELETE CASCADE

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
            // FOR KEY SHARE: a concurrent delete of the person waits for this enrollment (or this one sees it gone).
            var name = Scalar(c, tx, "SELECT name FROM persons WHERE id = @id FOR KEY SHARE", ("id", personId)) as string
                ?? throw new PersonNotFoundException(personId);
            var inserted = Scalar(c, tx,
                """
                INSERT INTO faces(person_id, image_sha256, box_x, box_y, box_w, box_h, landmarks, embedding, model_id, created, thumbnail)
                VALUES (@person, @sha, @x, @y, @w, @h, @landmarks, @embedding, @model, now(), @thumbnail)
                ON CONFLICT (person_id, image_sha256, model_id) DO NOTHING
                RETURNING id
                """,
                ("person", personId), ("sha", sha), ("x", box.X), ("y", box.Y), ("w", box.Width), ("h", box.Height),
                ("landmarks", points), ("embedding", vector), ("model", embedding.ModelId), ("thumbnail", thumbnail));
            var face = inserted is long id
                ? ReadFace(c, tx, "id = @id", ("id", id))
                : ReadFace(c, tx, "person_id = @person AND image_sha256 = @sha AND model_id = @model",
                    ("person", personId), ("sha", sha), ("model", embedding.ModelId));
            tx.Commit();
            return new Enrollment(face!, name, Created: inserted is long);
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<StoredFace> ListFaces(long personId) => Run(c =>
    {
        using var command = Command(c, null, $"SELECT {FaceColumns} FROM faces WHERE person_id = @person ORDER BY id", ("person", personId));
        using var reader = command.ExecuteReader();
        var faces = new List<StoredFace>();
        while (reader.Read()) faces.Add(ToFace(reader));
        return faces;
    });

    /// <inheritdoc />
    public StoredFace? GetFace(long faceId) => Run(c => ReadFace(c, null, "id = @id", ("id", faceId)));

    /// <inheritdoc />
    public byte[]? GetThumbnail(long faceId) =>
        Run(c => Scalar(c, null, "SELECT thumbnail FROM faces WHERE id = @id", ("id", faceId)) as byte[]);

    /// <inheritdoc />
    public bool DeleteFace(long faceId) => Run(c => NonQuery(c, null, "DELETE FROM faces WHERE id = @id", ("id", faceId)) > 0);

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
                """, ("model", modelId));
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
                """, ("model", modelId));
            using var reader = command.ExecuteReader();
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

    /// <summary>Closes the pool's connections.</summary>
    public void Dispose() => _dataSource.Dispose();

    private T Run<T>(Func<NpgsqlConnection, T> work)
    {
        try
        {
            using var connection = _dataSource.OpenConnection();
            return work(connection);
        }
        catch (Exception e) when (PostgresErrors.Translate(e, Location) is { } translated)
        {
            if (PostgresErrors.IsConnectionLoss(e)) _dataSource.Clear(); // idle pooled connections died with this one
            throw translated;
        }
        catch (InvalidDataException e)
        {
            throw new GalleryCorruptException(Location, e.Message, e);
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, c, tx);
        foreach (var (name, value) in parameters)
        {
            // A typed null: an untyped one makes PostgreSQL guess the parameter's type from the statement.
            if (value is null) command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Bytea) { Value = DBNull.Value });
            else command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    private static object? Scalar(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        return command.ExecuteScalar();
    }

    private static int NonQuery(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static Person? ReadPerson(NpgsqlConnection c, NpgsqlTransaction? tx, string where, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, $"SELECT {PersonColumns} FROM persons p WHERE {where}", parameters);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ToPerson(reader) : null;
    }

    private static StoredFace? ReadFace(NpgsqlConnection c, NpgsqlTransaction? tx, string where, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, $"SELECT {FaceColumns} FROM faces WHERE {where}", parameters);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ToFace(reader) : null;
    }

    private static Person ToPerson(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetDateTime(2), r.GetInt32(3));

    private static StoredFace ToFace(NpgsqlDataReader r)
    {
        var vector = new float[FaceEmbedding.Dimensions];
        BlobCodec.DecodeFloats((byte[])r.GetValue(8), vector);
        var landmarks = r.IsDBNull(7) ? null : BlobCodec.DecodeLandmarks((byte[])r.GetValue(7));
        return new StoredFace(
            r.GetInt64(0), r.GetInt64(1), r.GetString(2),
            new BoundingBox(r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6)),
            landmarks, new FaceEmbedding(vector, r.GetString(9)), r.GetDateTime(10));
    }
}
