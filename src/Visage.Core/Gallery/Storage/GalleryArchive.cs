using System.Data.Common;

namespace Visage.Gallery.Storage;

/// <summary>
/// Backups, and moves between SQLite and PostgreSQL. <see cref="Export"/> copies a gallery into a new SQLite gallery
/// file (so a backup is itself a gallery Visage can open); <see cref="Import"/> copies such a file into an empty
/// gallery of either kind. Copied: persons, faces (descriptors with their model id, landmarks, thumbnails, image
/// hashes, quality scores), rejections and sightings, with their ids and times, and how far each id counter went (ids are never handed
/// out twice, also across a restore). Not copied: API keys (a backup must not carry
/// credentials), the audit log and the change log, which belong to the database the gallery runs on.
/// </summary>
public static class GalleryArchive
{
    private sealed record Table(string Name, string[] Columns, string[] Times);

    // In foreign-key order: persons before what refers to them.
    private static readonly Table[] Tables =
    [
        new("persons", ["id", "name", "created"], ["created"]),
        new("faces", ["id", "person_id", "image_sha256", "box_x", "box_y", "box_w", "box_h", "landmarks", "embedding", "model_id", "created", "thumbnail", "quality"], ["created"]),
        new("rejections", ["id", "person_id", "embedding", "model_id", "created"], ["created"]),
        new("sightings", ["id", "camera", "source", "event_id", "started", "ended", "person_id", "confidence", "distance",
            "box_x", "box_y", "box_w", "box_h", "score", "embedding", "model_id", "image_sha256", "thumbnail"], ["started", "ended"]),
    ];

    /// <summary>Writes the gallery of <paramref name="source"/> (one consistent snapshot) to a new SQLite file.</summary>
    /// <returns>What was copied.</returns>
    /// <exception cref="IOException"><paramref name="file"/> exists already.</exception>
    /// <exception cref="GalleryUnavailableException">A database cannot be reached or the file cannot be written.</exception>
    public static GalleryRows Export(IGalleryStore source, string file)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        var from = Sql(source);
        if (File.Exists(file)) throw new IOException($"'{file}' exists already: an export writes a new file");
        try
        {
            using var to = new SqliteGalleryStore(file);
            return Copy(from, to, clearChangeLog: true);
        }
        catch
        {
            foreach (var path in new[] { file, file + "-wal", file + "-shm" }) File.Delete(path); // no half-written backup
            throw;
        }
    }

    /// <summary>
    /// Copies the gallery in the SQLite file <paramref name="file"/> (written by <see cref="Export"/>, or any SQLite
    /// gallery, of this schema or an older one: it is migrated in a temporary copy, the file is left as it is) into
    /// <paramref name="target"/>, which must hold no person, face, rejection or sighting. One transaction: all or nothing.
    /// Other processes following <paramref name="target"/> load the imported faces from its change log.
    /// </summary>
    /// <returns>What was copied.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="GalleryNotEmptyException">The target gallery holds data already.</exception>
    /// <exception cref="GalleryCorruptException">The file is not a Visage gallery.</exception>
    public static GalleryRows Import(string file, IGalleryStore target)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"no gallery file '{file}'", file);
        var to = Sql(target);
        var copy = Path.Combine(Path.GetTempPath(), $"visage-import-{Guid.NewGuid():N}.db");
        try
        {
            File.Copy(file, copy);
            if (File.Exists(file + "-wal")) File.Copy(file + "-wal", copy + "-wal"); // commits not yet checkpointed into the file
            using var from = new SqliteGalleryStore(copy);
            return Copy(from, to, clearChangeLog: false);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var path in new[] { copy, copy + "-wal", copy + "-shm" }) File.Delete(path);
        }
    }

    private static GalleryRows Copy(SqlGalleryStore from, SqlGalleryStore to, bool clearChangeLog) => from.Run(source =>
    {
        using var snapshot = from.BeginSnapshot(source);
        return to.Run(target =>
        {
            using var tx = to.BeginChange(target);
            if (Tables.Any(t => SqlGalleryStore.Long(SqlGalleryStore.Scalar(target, tx, $"SELECT count(*) FROM {t.Name}")) > 0))
                throw new GalleryNotEmptyException(to.Location);
            var counts = Tables.Select(t => CopyTable(from, source, snapshot, to, target, tx, t)).ToArray();
            var rows = new GalleryRows(counts[0], counts[1], counts[2], counts[3]);
            if (clearChangeLog)
            {
                // A fresh file: nobody follows its log, and the copy's 'add' entries would only take room.
                SqlGalleryStore.NonQuery(target, tx, "UPDATE gallery_log_state SET pruned_through = (SELECT coalesce(max(seq), 0) FROM gallery_changes)");
                SqlGalleryStore.NonQuery(target, tx, "DELETE FROM gallery_changes");
            }
            else AuditLog.Append(target, tx, "gallery.import", null, rows.ToString());
            tx.Commit();
            return rows;
        });
    });

    private static long CopyTable(SqlGalleryStore from, DbConnection source, DbTransaction snapshot,
        SqlGalleryStore to, DbConnection target, DbTransaction tx, Table table)
    {
        var columns = string.Join(", ", table.Columns);
        using var insert = SqlGalleryStore.Command(target, tx,
            $"INSERT INTO {table.Name} ({columns}){to.OverridingIdentity} VALUES ({string.Join(", ", table.Columns.Select(c => "@" + c))})",
            [.. table.Columns.Select(c => ("@" + c, (object?)null))]);
        var times = table.Columns.Select(table.Times.Contains).ToArray();
        var lastId = from.LastId(source, snapshot, table.Name);
        using var select = SqlGalleryStore.Command(source, snapshot, $"SELECT {columns} FROM {table.Name} ORDER BY id");
        using var reader = select.ExecuteReader();
        long copied = 0;
        while (reader.Read())
        {
            for (var i = 0; i < times.Length; i++)
                insert.Parameters[i].Value = reader.IsDBNull(i) ? DBNull.Value : times[i] ? to.TimeValue(from.ReadTime(reader, i)) : reader.GetValue(i);
            insert.ExecuteNonQuery();
            copied++;
        }
        to.MoveIdsPast(target, tx, table.Name, lastId); // the ids of rows deleted before are not handed out again either
        return copied;
    }

    private static SqlGalleryStore Sql(IGalleryStore store) => store as SqlGalleryStore
        ?? throw new NotSupportedException($"the archive needs a SQL gallery store, not {store?.GetType().Name}");
}

/// <summary>An import was refused: the target gallery holds persons, faces, rejections or sightings already.</summary>
public sealed class GalleryNotEmptyException(string location)
    : GalleryException($"the gallery '{location}' is not empty: import into a new gallery (or erase this one first: visage gallery erase)")
{
    /// <summary>The gallery that was not empty.</summary>
    public string Location { get; } = location;
}
