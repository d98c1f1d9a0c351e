using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Visage.Gallery.Storage;

/// <summary>
/// The embedded gallery: one SQLite file in WAL mode. Every connection runs with foreign keys on (deleting a person
/// cascades to their faces), <c>secure_delete</c> on (deleted rows are overwritten with zeros, and a delete is followed
/// by a truncating checkpoint so the old page images leave the <c>-wal</c> file too), <c>synchronous=FULL</c> (a
/// committed write survives a power cut) and a busy timeout (a second process waits for the lock instead of failing).
/// Safe to use from many threads; several processes may share the file.
/// </summary>
public sealed class SqliteGalleryStore : SqlGalleryStore
{
    /// <summary>How long a write waits for another connection's lock by default.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

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
    public SqliteGalleryStore(string path, TimeSpan? busyTimeout = null) : base(Path.GetFullPath(path))
    {
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
            Run(c => { SqliteSchema.Prepare((SqliteConnection)c, Location); return 0; });
        }
        catch
        {
            ReleaseConnections(); // don't keep a rejected file open
            throw;
        }
    }

    /// <summary>Closes the pooled connections to the file (the last close checkpoints and removes the <c>-wal</c> file).</summary>
    public override void Dispose() => ReleaseConnections();

    private protected override bool IsUniqueViolation(DbException e) =>
        e is SqliteException { SqliteExtendedErrorCode: SqliteErrors.ConstraintUnique };

    // ISO 8601 round-trip text: sorts as time, reads the same in any tool.
    internal override object TimeValue(DateTime utc) => IsoTime(utc);

    /// <summary>How SQLite galleries store a time.</summary>
    internal static string IsoTime(DateTime utc) => utc.ToString("O", CultureInfo.InvariantCulture);

    internal override DateTime ReadTime(DbDataReader reader, int ordinal) =>
        DateTime.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    // secure_delete zeroed the rows in the new page images; the old images still sit in the WAL until a checkpoint
    // copies the new ones home and TRUNCATE empties the WAL. If a reader in another process pins an older snapshot
    // the checkpoint stops short (without error) and the next one finishes the job.
    internal override void AfterDelete(DbConnection connection) => NonQuery(connection, null, "PRAGMA wal_checkpoint(TRUNCATE)");

    // Deferred: the snapshot starts at the first read and takes no write lock.
    internal override DbTransaction BeginSnapshot(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    // AUTOINCREMENT keeps the last id of each table in sqlite_sequence (no row before the table's first insert).
    internal override long LastId(DbConnection c, DbTransaction? tx, string table) =>
        Long(Scalar(c, tx, "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = @table", ("@table", table)));

    internal override void MoveIdsPast(DbConnection c, DbTransaction tx, string table, long last)
    {
        NonQuery(c, tx, "INSERT INTO sqlite_sequence(name, seq) SELECT @table, 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = @table)", ("@table", table));
        NonQuery(c, tx, "UPDATE sqlite_sequence SET seq = @last WHERE name = @table AND seq < @last", ("@table", table), ("@last", last));
    }

    /// <summary>Nothing to do: <c>secure_delete</c> overwrote deleted rows and the truncating checkpoint emptied the WAL.</summary>
    public override ErasureReport CompleteErasures(TimeSpan settle) => ErasureReport.Nothing;

    internal override T Run<T>(Func<DbConnection, T> work)
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
}
