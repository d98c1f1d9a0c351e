using Microsoft.Data.Sqlite;

namespace Visage.Gallery.Storage;

/// <summary>
/// The gallery's tables and their migrations. The file is marked with <c>PRAGMA application_id</c> (so another
/// application's database is refused rather than altered) and versioned with <c>PRAGMA user_version</c>
/// (the number of migrations applied).
/// </summary>
internal static class SqliteSchema
{
    /// <summary>"VISG" in ASCII.</summary>
    public const int ApplicationId = 0x56495347;

    // Append only: a released migration is never edited. AUTOINCREMENT keeps ids from being reused after deletes.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE persons (
            id      INTEGER PRIMARY KEY AUTOINCREMENT,
            name    TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL
        );
        CREATE TABLE faces (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            person_id    INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            image_sha256 TEXT NOT NULL,
            box_x        REAL NOT NULL,
            box_y        REAL NOT NULL,
            box_w        REAL NOT NULL,
            box_h        REAL NOT NULL,
            landmarks    BLOB CHECK (landmarks IS NULL OR length(landmarks) = 544),
            embedding    BLOB NOT NULL CHECK (length(embedding) = 512),
            model_id     TEXT NOT NULL,
            created      TEXT NOT NULL,
            UNIQUE (person_id, image_sha256, model_id)
        );
        CREATE INDEX faces_model_id ON faces(model_id);
        """,
        // 2: a small JPEG of each face for the web page's gallery view (NULL for faces enrolled without one).
        "ALTER TABLE faces ADD COLUMN thumbnail BLOB;",
        // 3: the change log other processes follow (see GalleryChanges); SQLite has one writer at a time, so numbers
        // follow commit order. Cascaded deletes fire the faces trigger too.
        """
        CREATE TABLE gallery_changes (
            seq       INTEGER PRIMARY KEY AUTOINCREMENT,
            op        TEXT NOT NULL CHECK (op IN ('add', 'remove', 'rename')),
            person_id INTEGER NOT NULL,
            face_id   INTEGER
        );
        CREATE TRIGGER faces_added AFTER INSERT ON faces
        BEGIN INSERT INTO gallery_changes(op, person_id, face_id) VALUES ('add', NEW.person_id, NEW.id); END;
        CREATE TRIGGER faces_removed AFTER DELETE ON faces
        BEGIN INSERT INTO gallery_changes(op, person_id, face_id) VALUES ('remove', OLD.person_id, OLD.id); END;
        CREATE TRIGGER persons_renamed AFTER UPDATE OF name ON persons
        BEGIN INSERT INTO gallery_changes(op, person_id) VALUES ('rename', NEW.id); END;
        """,
        // 4: rejections ("that was not me": a descriptor that vetoes its person for probes nearer to it than to the
        // person's faces), logged like faces so other processes follow them. SQLite cannot alter a CHECK constraint,
        // so the change log is rebuilt with the two new operations and a rejection_id column (its triggers with it).
        """
        CREATE TABLE rejections (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            embedding BLOB NOT NULL CHECK (length(embedding) = 512),
            model_id  TEXT NOT NULL,
            created   TEXT NOT NULL
        );
        CREATE INDEX rejections_person ON rejections(person_id);
        DROP TRIGGER faces_added;
        DROP TRIGGER faces_removed;
        DROP TRIGGER persons_renamed;
        CREATE TABLE gallery_changes_v4 (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            op           TEXT NOT NULL CHECK (op IN ('add', 'remove', 'rename', 'reject', 'unreject')),
            person_id    INTEGER NOT NULL,
            face_id      INTEGER,
            rejection_id INTEGER
        );
        INSERT INTO gallery_changes_v4(seq, op, person_id, face_id) SELECT seq, op, person_id, face_id FROM gallery_changes;
        DROP TABLE gallery_changes;
        ALTER TABLE gallery_changes_v4 RENAME TO gallery_changes;
        CREATE TRIGGER faces_added AFTER INSERT ON faces
        BEGIN INSERT INTO gallery_changes(op, person_id, face_id) VALUES ('add', NEW.person_id, NEW.id); END;
        CREATE TRIGGER faces_removed AFTER DELETE ON faces
        BEGIN INSERT INTO gallery_changes(op, person_id, face_id) VALUES ('remove', OLD.person_id, OLD.id); END;
        CREATE TRIGGER persons_renamed AFTER UPDATE OF name ON persons
        BEGIN INSERT INTO gallery_changes(op, person_id) VALUES ('rename', NEW.id); END;
        CREATE TRIGGER rejections_added AFTER INSERT ON rejections
        BEGIN INSERT INTO gallery_changes(op, person_id, rejection_id) VALUES ('reject', NEW.person_id, NEW.id); END;
        CREATE TRIGGER rejections_removed AFTER DELETE ON rejections
        BEGIN INSERT INTO gallery_changes(op, person_id, rejection_id) VALUES ('unreject', OLD.person_id, OLD.id); END;
        """,
        // 5: sightings (Visage.Sightings): every appearance of a face a camera or an NVR reported, with its best face.
        // Deleted with the person they name; an unknown face's person_id is NULL.
        """
        CREATE TABLE sightings (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            camera       TEXT NOT NULL,
            source       TEXT NOT NULL,
            event_id     TEXT,
            started      TEXT NOT NULL,
            ended        TEXT NOT NULL,
            person_id    INTEGER REFERENCES persons(id) ON DELETE CASCADE,
            confidence   REAL,
            distance     REAL,
            box_x        REAL NOT NULL,
            box_y        REAL NOT NULL,
            box_w        REAL NOT NULL,
            box_h        REAL NOT NULL,
            score        REAL NOT NULL,
            embedding    BLOB NOT NULL CHECK (length(embedding) = 512),
            model_id     TEXT NOT NULL,
            image_sha256 TEXT NOT NULL,
            thumbnail    BLOB
        );
        CREATE INDEX sightings_started ON sightings(started);
        CREATE INDEX sightings_person ON sightings(person_id);
        CREATE INDEX sightings_event ON sightings(source, event_id);
        """,
        // 6: each enrolled face's quality score (Visage.Enrollment.EnrollmentQuality, 0..1); NULL for faces enrolled before.
        "ALTER TABLE faces ADD COLUMN quality REAL;",
        // 7 (issue 23): the change log's readers and pruning (ChangeLogPruning): each process that follows the log
        // records how far it read; entries every live reader read, and entries older than the retention window (marks
        // say which change was the latest at a given time), are deleted; pruned_through tells a reader that fell behind
        // to reload instead of replaying. And the audit log of admin actions (ids, never names: erasure stays complete).
        """
        CREATE TABLE gallery_readers (
            id   TEXT PRIMARY KEY,
            seq  INTEGER NOT NULL,
            seen TEXT NOT NULL
        );
        CREATE TABLE gallery_log_marks (
            at  TEXT NOT NULL,
            seq INTEGER NOT NULL
        );
        CREATE TABLE gallery_log_state (
            id             INTEGER PRIMARY KEY CHECK (id = 1),
            pruned_through INTEGER NOT NULL
        );
        INSERT INTO gallery_log_state VALUES (1, 0);
        CREATE TABLE audit_log (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            at        TEXT NOT NULL,
            key_id    INTEGER,
            actor     TEXT NOT NULL,
            action    TEXT NOT NULL,
            target_id INTEGER,
            detail    TEXT
        );
        CREATE INDEX audit_log_at ON audit_log(at);
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    /// <summary>
    /// Refuses files that are damaged or not ours using reads only, then (and only then) switches to WAL and applies
    /// any missing migrations in one transaction.
    /// </summary>
    public static void Prepare(SqliteConnection connection, string location)
    {
        // These reads make SQLite parse page 1 and the schema, which is where truncation and damage show up.
        var applicationId = Scalar(connection, "PRAGMA application_id");
        var version = Scalar(connection, "PRAGMA user_version");
        var objects = Scalar(connection, "SELECT count(*) FROM sqlite_master");
        var isEmpty = applicationId == 0 && version == 0 && objects == 0;
        if (applicationId != ApplicationId && !isEmpty)
            throw new GalleryCorruptException(location, "it is a SQLite database, but not a Visage gallery");
        if (version > CurrentVersion)
            throw new GalleryUnavailableException(
                $"the gallery '{location}' has schema version {version}; this Visage knows up to {CurrentVersion}: upgrade Visage");

        Execute(connection, "PRAGMA journal_mode=WAL");
        if (version == CurrentVersion) return;
        using var transaction = connection.BeginTransaction(); // BEGIN IMMEDIATE: one migrator at a time
        version = Scalar(connection, "PRAGMA user_version", transaction); // another process may have migrated meanwhile
        for (var v = (int)version; v < CurrentVersion; v++) Execute(connection, Migrations[v], transaction);
        Execute(connection, $"PRAGMA application_id={ApplicationId}; PRAGMA user_version={CurrentVersion}", transaction);
        transaction.Commit();
    }

    private static long Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
