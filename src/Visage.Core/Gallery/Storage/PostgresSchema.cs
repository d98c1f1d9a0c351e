using Npgsql;

namespace Visage.Gallery.Storage;

/// <summary>
/// The gallery's tables in PostgreSQL: the same tables, columns, constraints and migrations as <see cref="SqliteSchema"/>
/// (in PostgreSQL's types: identity ids, bytea blobs, timestamptz times). A <c>visage_meta</c> table marks the database
/// as a Visage gallery and records how many migrations were applied, as SQLite's application_id and user_version do.
/// </summary>
internal static class PostgresSchema
{
    // Lock key for pg_advisory_xact_lock: "VISG" in ASCII, so concurrent starts migrate one at a time.
    private const long MigrationLock = 0x56495347;

    // Append only, in step with SqliteSchema's list: a released migration is never edited. Identity columns never
    // hand out an id twice, like SQLite's AUTOINCREMENT.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE persons (
            id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name    text NOT NULL UNIQUE,
            created timestamptz NOT NULL
        );
        CREATE TABLE faces (
            id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            person_id    bigint NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            image_sha256 text NOT NULL,
            box_x        double precision NOT NULL,
            box_y        double precision NOT NULL,
            box_w        double precision NOT NULL,
            box_h        double precision NOT NULL,
            landmarks    bytea CHECK (landmarks IS NULL OR length(landmarks) = 544),
            embedding    bytea NOT NULL CHECK (length(embedding) = 512),
            model_id     text NOT NULL,
            created      timestamptz NOT NULL,
            UNIQUE (person_id, image_sha256, model_id)
        );
        CREATE INDEX faces_model_id ON faces(model_id);
        """,
        "ALTER TABLE faces ADD COLUMN thumbnail bytea;",
        // 3: the change log replicas follow (see GalleryChanges). Every write that changes what an index holds takes
        // the change lock first (the trigger takes it too, for writes made by hand), so change numbers are handed out
        // in commit order; NOTIFY tells the listening replicas (one notification per transaction).
        $$"""
        CREATE TABLE gallery_changes (
            seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            op        text NOT NULL CHECK (op IN ('add', 'remove', 'rename')),
            person_id bigint NOT NULL,
            face_id   bigint
        );
        CREATE FUNCTION visage_log_change() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            PERFORM pg_advisory_xact_lock({{GalleryChanges.WriteLock}});
            IF TG_TABLE_NAME = 'persons' THEN
                INSERT INTO gallery_changes(op, person_id) VALUES ('rename', NEW.id);
            ELSIF TG_OP = 'INSERT' THEN
                INSERT INTO gallery_changes(op, person_id, face_id) VALUES ('add', NEW.person_id, NEW.id);
            ELSE
                INSERT INTO gallery_changes(op, person_id, face_id) VALUES ('remove', OLD.person_id, OLD.id);
            END IF;
            PERFORM pg_notify('{{GalleryChanges.Channel}}', '');
            RETURN NULL;
        END $f$;
        CREATE TRIGGER faces_log AFTER INSERT OR DELETE ON faces FOR EACH ROW EXECUTE FUNCTION visage_log_change();
        CREATE TRIGGER persons_log AFTER UPDATE OF name ON persons FOR EACH ROW EXECUTE FUNCTION visage_log_change();
        """,
        // 4: rejections, logged like faces (see SqliteSchema): two more operations and the rejection's id in the log.
        $$"""
        CREATE TABLE rejections (
            id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            person_id bigint NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            embedding bytea NOT NULL CHECK (length(embedding) = 512),
            model_id  text NOT NULL,
            created   timestamptz NOT NULL
        );
        CREATE INDEX rejections_person ON rejections(person_id);
        ALTER TABLE gallery_changes ADD COLUMN rejection_id bigint;
        ALTER TABLE gallery_changes DROP CONSTRAINT gallery_changes_op_check;
        ALTER TABLE gallery_changes ADD CONSTRAINT gallery_changes_op_check CHECK (op IN ('add', 'remove', 'rename', 'reject', 'unreject'));
        CREATE OR REPLACE FUNCTION visage_log_change() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            PERFORM pg_advisory_xact_lock({{GalleryChanges.WriteLock}});
            IF TG_TABLE_NAME = 'persons' THEN
                INSERT INTO gallery_changes(op, person_id) VALUES ('rename', NEW.id);
            ELSIF TG_TABLE_NAME = 'rejections' AND TG_OP = 'INSERT' THEN
                INSERT INTO gallery_changes(op, person_id, rejection_id) VALUES ('reject', NEW.person_id, NEW.id);
            ELSIF TG_TABLE_NAME = 'rejections' THEN
                INSERT INTO gallery_changes(op, person_id, rejection_id) VALUES ('unreject', OLD.person_id, OLD.id);
            ELSIF TG_OP = 'INSERT' THEN
                INSERT INTO gallery_changes(op, person_id, face_id) VALUES ('add', NEW.person_id, NEW.id);
            ELSE
                INSERT INTO gallery_changes(op, person_id, face_id) VALUES ('remove', OLD.person_id, OLD.id);
            END IF;
            PERFORM pg_notify('{{GalleryChanges.Channel}}', '');
            RETURN NULL;
        END $f$;
        CREATE TRIGGER rejections_log AFTER INSERT OR DELETE ON rejections FOR EACH ROW EXECUTE FUNCTION visage_log_change();
        """,
        """
        CREATE TABLE sightings (
            id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            camera       text NOT NULL,
            source       text NOT NULL,
            event_id     text,
            started      timestamptz NOT NULL,
            ended        timestamptz NOT NULL,
            person_id    bigint REFERENCES persons(id) ON DELETE CASCADE,
            confidence   real,
            distance     real,
            box_x        double precision NOT NULL,
            box_y        double precision NOT NULL,
            box_w        double precision NOT NULL,
            box_h        double precision NOT NULL,
            score        real NOT NULL,
            embedding    bytea NOT NULL CHECK (length(embedding) = 512),
            model_id     text NOT NULL,
            image_sha256 text NOT NULL,
            thumbnail    bytea
        );
        CREATE INDEX sightings_started ON sightings(started);
        CREATE INDEX sightings_person ON sightings(person_id);
        CREATE INDEX sightings_event ON sightings(source, event_id);
        """,
        // 6: each enrolled face's quality score, as in SqliteSchema.
        "ALTER TABLE faces ADD COLUMN quality real;",
        // 7 (issue 23): the change log's readers and pruning and the audit log, as in SqliteSchema. PostgreSQL only:
        // erasure_pending, which statement triggers fill when rows with personal data are deleted (or a name changed),
        // for PostgresErasure to rewrite those tables; and no planner statistics on the columns that hold personal
        // data, since ANALYZE would copy sample values into pg_statistic (changing a column's type to itself drops the
        // statistics gathered so far; pg_statistic itself is queued when it held some).
        $$"""
        CREATE TABLE gallery_readers (
            id   text PRIMARY KEY,
            seq  bigint NOT NULL,
            seen timestamptz NOT NULL
        );
        CREATE TABLE gallery_log_marks (
            at  timestamptz NOT NULL,
            seq bigint NOT NULL
        );
        CREATE TABLE gallery_log_state (
            id             int PRIMARY KEY CHECK (id = 1),
            pruned_through bigint NOT NULL
        );
        INSERT INTO gallery_log_state VALUES (1, 0);
        CREATE TABLE audit_log (
            id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at        timestamptz NOT NULL,
            key_id    bigint,
            actor     text NOT NULL,
            action    text NOT NULL,
            target_id bigint,
            detail    text
        );
        CREATE INDEX audit_log_at ON audit_log(at);
        CREATE TABLE erasure_pending (
            id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            relation text NOT NULL,
            at       timestamptz NOT NULL DEFAULT clock_timestamp()
        );
        CREATE FUNCTION visage_erasure_pending() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF EXISTS (SELECT 1 FROM gone) THEN
                INSERT INTO erasure_pending(relation) VALUES (TG_TABLE_NAME);
            END IF;
            RETURN NULL;
        END $f$;
        CREATE TRIGGER persons_erased AFTER DELETE ON persons REFERENCING OLD TABLE AS gone
            FOR EACH STATEMENT EXECUTE FUNCTION visage_erasure_pending();
        CREATE TRIGGER persons_renamed_erased AFTER UPDATE ON persons REFERENCING OLD TABLE AS gone
            FOR EACH STATEMENT EXECUTE FUNCTION visage_erasure_pending();
        CREATE TRIGGER faces_erased AFTER DELETE ON faces REFERENCING OLD TABLE AS gone
            FOR EACH STATEMENT EXECUTE FUNCTION visage_erasure_pending();
        CREATE TRIGGER rejections_erased AFTER DELETE ON rejections REFERENCING OLD TABLE AS gone
            FOR EACH STATEMENT EXECUTE FUNCTION visage_erasure_pending();
        CREATE TRIGGER sightings_erased AFTER DELETE ON sightings REFERENCING OLD TABLE AS gone
            FOR EACH STATEMENT EXECUTE FUNCTION visage_erasure_pending();
        INSERT INTO erasure_pending(relation) SELECT 'pg_statistic' WHERE EXISTS (
            SELECT 1 FROM pg_stats WHERE schemaname = current_schema() AND (tablename, attname) IN {{PersonalColumns}});
        DROP TRIGGER persons_log ON persons; -- a column a trigger names cannot change type, not even to its own
        ALTER TABLE persons ALTER COLUMN name SET STATISTICS 0, ALTER COLUMN name TYPE text;
        CREATE TRIGGER persons_log AFTER UPDATE OF name ON persons FOR EACH ROW EXECUTE FUNCTION visage_log_change();
        ALTER TABLE faces
            ALTER COLUMN image_sha256 SET STATISTICS 0, ALTER COLUMN image_sha256 TYPE text,
            ALTER COLUMN landmarks SET STATISTICS 0, ALTER COLUMN landmarks TYPE bytea,
            ALTER COLUMN embedding SET STATISTICS 0, ALTER COLUMN embedding TYPE bytea,
            ALTER COLUMN thumbnail SET STATISTICS 0, ALTER COLUMN thumbnail TYPE bytea;
        ALTER TABLE rejections ALTER COLUMN embedding SET STATISTICS 0, ALTER COLUMN embedding TYPE bytea;
        ALTER TABLE sightings
            ALTER COLUMN image_sha256 SET STATISTICS 0, ALTER COLUMN image_sha256 TYPE text,
            ALTER COLUMN embedding SET STATISTICS 0, ALTER COLUMN embedding TYPE bytea,
            ALTER COLUMN thumbnail SET STATISTICS 0, ALTER COLUMN thumbnail TYPE bytea;
        """,
    ];

    private const string PersonalColumns =
        "(('persons', 'name'), ('faces', 'image_sha256'), ('faces', 'landmarks'), ('faces', 'embedding'), ('faces', 'thumbnail'), " +
        "('rejections', 'embedding'), ('sightings', 'image_sha256'), ('sightings', 'embedding'), ('sightings', 'thumbnail'))";

    public static int CurrentVersion => Migrations.Length;

    /// <summary>
    /// Refuses a database that holds gallery-named tables without the Visage mark, or a newer schema; otherwise applies
    /// the missing migrations in one transaction.
    /// </summary>
    public static void Prepare(NpgsqlConnection connection, string location)
    {
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        var hasMeta = Scalar(connection, tx, "SELECT to_regclass('visage_meta') IS NOT NULL") is true;
        if (!hasMeta)
        {
            if (Scalar(connection, tx, "SELECT to_regclass('persons') IS NOT NULL OR to_regclass('faces') IS NOT NULL") is true)
                throw new GalleryCorruptException(location, "the database has persons or faces tables, but it is not a Visage gallery");
            Execute(connection, tx, "CREATE TABLE visage_meta (key text PRIMARY KEY, value text NOT NULL)");
            Execute(connection, tx, "INSERT INTO visage_meta VALUES ('application', 'visage'), ('schema_version', '0')");
        }
        var version = int.Parse((string)Scalar(connection, tx, "SELECT value FROM visage_meta WHERE key = 'schema_version'")!,
            System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
            throw new GalleryUnavailableException(
                $"the gallery '{location}' has schema version {version}; this Visage knows up to {CurrentVersion}: upgrade Visage");
        for (var v = version; v < CurrentVersion; v++) Execute(connection, tx, Migrations[v]);
        Execute(connection, tx, $"UPDATE visage_meta SET value = '{CurrentVersion}' WHERE key = 'schema_version'");
        tx.Commit();
    }

    private static object? Scalar(NpgsqlConnection c, NpgsqlTransaction tx, string sql)
    {
        using var command = new NpgsqlCommand(sql, c, tx);
        return command.ExecuteScalar();
    }

    private static void Execute(NpgsqlConnection c, NpgsqlTransaction tx, string sql)
    {
        using var command = new NpgsqlCommand(sql, c, tx);
        command.ExecuteNonQuery();
    }
}
