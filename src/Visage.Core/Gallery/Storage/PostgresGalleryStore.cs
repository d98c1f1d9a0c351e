using Npgsql;
using System.Data.Common;

namespace Visage.Gallery.Storage;

/// <summary>
/// The server gallery: the same tables, SQL and behaviour as <see cref="SqliteGalleryStore"/> in a PostgreSQL database,
/// for several Visage processes (or machines) sharing one gallery. One <see cref="NpgsqlDataSource"/> (a connection
/// pool) per store; every write is one transaction committed before the method returns (PostgreSQL's default
/// <c>synchronous_commit=on</c> makes the commit durable). Safe to use from many threads.
/// </summary>
/// <remarks>
/// When the server cannot be reached every call throws <see cref="GalleryUnavailableException"/> and the pool is
/// cleared, so the first call after the server is back opens fresh connections: no restart is needed.
/// Deleted rows are removed from every query at once, but unlike SQLite's <c>secure_delete</c> PostgreSQL keeps their
/// bytes in the table's file (a plain <c>VACUUM</c> marks the space free without overwriting it) and in its
/// write-ahead log: <see cref="CompleteErasures"/> rewrites the tables rows were deleted from (docs/RELIABILITY.md says
/// what remains elsewhere, and for how long).
/// </remarks>
public sealed class PostgresGalleryStore : SqlGalleryStore
{
    private readonly NpgsqlDataSource _dataSource;

    // The eraser's own connections show the server's message details: VACUUM VERBOSE reports in one how many deleted
    // rows it had to copy (Npgsql hides details by default, since other statements' may hold data; these hold counts).
    private readonly NpgsqlDataSource _erasureSource;
    private readonly PostgresErasure _erasure = new();

    /// <summary>Connects to <paramref name="location"/> and creates or migrates the gallery's tables.</summary>
    /// <param name="location">A key-value connection string (<c>Host=...;Database=...</c>) or a <c>postgresql://</c> URI.</param>
    /// <exception cref="ArgumentException">The connection string cannot be read.</exception>
    /// <exception cref="GalleryCorruptException">The database holds tables of that name that are not a Visage gallery.</exception>
    /// <exception cref="GalleryUnavailableException">The server cannot be reached, or the schema is newer than this code.</exception>
    public PostgresGalleryStore(string location) : this(PostgresLocation.Parse(location))
    {
    }

    private PostgresGalleryStore(NpgsqlConnectionStringBuilder builder) : base(PostgresLocation.Describe(builder))
    {
        _dataSource = NpgsqlDataSource.Create(builder);
        _erasureSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString) { IncludeErrorDetail = true });
        try
        {
            Run(c => { PostgresSchema.Prepare((NpgsqlConnection)c, Location); return 0; });
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Closes the pool's connections.</summary>
    public override void Dispose()
    {
        _dataSource.Dispose();
        _erasureSource.Dispose();
    }

    /// <inheritdoc />
    public override ErasureReport CompleteErasures(TimeSpan settle) => Run(_erasureSource, c => _erasure.Complete(c, settle));

    internal override DbTransaction BeginSnapshot(DbConnection connection) =>
        connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);

    // A concurrent delete of the person waits for the enrollment (or the enrollment sees the person gone).
    private protected override string LockPersonRow => " FOR KEY SHARE";

    internal override string OverridingIdentity => " OVERRIDING SYSTEM VALUE";

    internal override long LastId(DbConnection c, DbTransaction? tx, string table) => Math.Max(
        Long(Scalar(c, tx, $"SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')::regclass), 0)")),
        Long(Scalar(c, tx, $"SELECT coalesce(max(id), 0) FROM {table}")));

    internal override void MoveIdsPast(DbConnection c, DbTransaction tx, string table, long last)
    {
        last = Math.Max(last, LastId(c, tx, table));
        if (last > 0) Scalar(c, tx, $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), @last)", ("@last", last));
    }

    private protected override string ChangeLock => $"SELECT pg_advisory_xact_lock({GalleryChanges.WriteLock})";

    private protected override bool IsUniqueViolation(DbException e) => e is PostgresException { SqlState: PostgresErrors.UniqueViolation };

    internal override object TimeValue(DateTime utc) => utc; // timestamptz

    internal override DateTime ReadTime(DbDataReader reader, int ordinal) => reader.GetDateTime(ordinal);

    internal override T Run<T>(Func<DbConnection, T> work) => Run(_dataSource, work);

    private T Run<T>(NpgsqlDataSource source, Func<NpgsqlConnection, T> work)
    {
        try
        {
            using var connection = source.OpenConnection();
            return work(connection);
        }
        catch (Exception e) when (PostgresErrors.Translate(e, Location) is { } translated)
        {
            if (PostgresErrors.IsConnectionLoss(e)) source.Clear(); // idle pooled connections died with this one
            throw translated;
        }
        catch (InvalidDataException e)
        {
            throw new GalleryCorruptException(Location, e.Message, e);
        }
    }
}
