using System.Data.Common;
using System.Globalization;
using Visage.Gallery.Storage;
using Visage.Video.Sources;

namespace Visage.Serve.Cameras;

/// <summary>
/// The cameras, in a <c>cameras</c> table beside the gallery's (<see cref="GalleryDatabase"/>), the same on SQLite and
/// PostgreSQL. The URL is stored as given, credentials included (the reader needs them to reconnect); everything
/// that leaves this class carries it as a <see cref="SourceUrl"/>, which prints masked.
/// </summary>
public sealed class CameraStore : IDisposable
{
    private const string What = "the cameras";
    private const string Columns = "id, name, url, fps, detector, webhook, created";
    private readonly GalleryDatabase _db;

    private CameraStore(GalleryDatabase db)
    {
        _db = db;
        _db.Execute(What, $"""
            CREATE TABLE IF NOT EXISTS cameras (
                id       {db.IdColumn},
                name     TEXT NOT NULL UNIQUE,
                url      TEXT NOT NULL,
                fps      DOUBLE PRECISION NOT NULL CHECK (fps > 0),
                detector TEXT NOT NULL,
                webhook  TEXT,
                created  TEXT NOT NULL
            )
            """);
    }

    /// <summary>The camera store of the gallery at <paramref name="location"/>; open the gallery store first.</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public static CameraStore Open(string location) => GalleryDatabase.Open(location, db => new CameraStore(db));

    /// <summary>Every camera, oldest first.</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public IReadOnlyList<Camera> List() => _db.Run(What, c =>
    {
        using var command = GalleryDatabase.Command(c, $"SELECT {Columns} FROM cameras ORDER BY id");
        return ReadAll(command);
    });

    /// <summary>The camera with this id, or null.</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public Camera? Get(long id) => _db.Run(What, c =>
    {
        using var command = GalleryDatabase.Command(c, $"SELECT {Columns} FROM cameras WHERE id = @id", ("@id", id));
        return ReadAll(command).FirstOrDefault();
    });

    /// <summary>Adds a camera; null when the name is taken.</summary>
    /// <param name="name">Unique name.</param>
    /// <param name="url">The source as given (credentials included).</param>
    /// <param name="fps">Frames per second to process (positive).</param>
    /// <param name="detector">Detector name.</param>
    /// <param name="webhook">Event URL, or null.</param>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public Camera? Add(string name, string url, double fps, string detector, string? webhook)
    {
        var created = DateTime.UtcNow;
        return _db.Run(What, c =>
        {
            using var tx = c.BeginTransaction();
            using (var taken = GalleryDatabase.Command(c, "SELECT count(*) FROM cameras WHERE name = @name", ("@name", name)))
            {
                taken.Transaction = tx;
                if (Convert.ToInt64(taken.ExecuteScalar(), CultureInfo.InvariantCulture) > 0) return null;
            }
            using var insert = GalleryDatabase.Command(c,
                "INSERT INTO cameras(name, url, fps, detector, webhook, created) VALUES (@name, @url, @fps, @detector, @webhook, @created) RETURNING id",
                ("@name", name), ("@url", url), ("@fps", fps), ("@detector", detector), ("@webhook", webhook),
                ("@created", created.ToString("O", CultureInfo.InvariantCulture)));
            insert.Transaction = tx;
            var id = Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
            tx.Commit();
            return new Camera(id, name, SourceUrl.Parse(url), fps, detector, webhook, created);
        });
    }

    /// <summary>Deletes a camera (its URL's bytes go with the row); false when there was none with that id.</summary>
    /// <exception cref="GalleryUnavailableException">The database cannot be reached.</exception>
    public bool Delete(long id) => _db.Run(What, c =>
    {
        using var command = GalleryDatabase.Command(c, "DELETE FROM cameras WHERE id = @id", ("@id", id));
        return command.ExecuteNonQuery() > 0;
    });

    /// <summary>Closes the database's pool.</summary>
    public void Dispose() => _db.Dispose();

    private static List<Camera> ReadAll(DbCommand command)
    {
        using var r = command.ExecuteReader();
        var cameras = new List<Camera>();
        while (r.Read())
        {
            cameras.Add(new Camera(r.GetInt64(0), r.GetString(1), SourceUrl.Parse(r.GetString(2)), r.GetDouble(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5),
                DateTime.Parse(r.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }
        return cameras;
    }
}
