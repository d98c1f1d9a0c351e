namespace Visage.Tests.Gallery;

/// <summary>Where a gallery test keeps its gallery: the same tests run once on each store.</summary>
public abstract class GalleryBackend : IDisposable
{
    /// <summary>The location to pass to <c>GalleryStores.Open</c> or <c>FaceGallery.Open</c>.</summary>
    public abstract string Location { get; }

    /// <summary>
    /// The files the database keeps the gallery's tables in, after writing out what it holds in memory: SQLite's file
    /// and its WAL; PostgreSQL's table, TOAST, index and catalog files of the database (its base directory), after a
    /// CHECKPOINT and an ANALYZE (so planner statistics are sampled as autovacuum would).
    /// </summary>
    public abstract IReadOnlyList<(string Name, byte[] Bytes)> TableFiles();

    public abstract void Dispose();
}

/// <summary>A SQLite file in a temp directory.</summary>
public sealed class SqliteBackend : GalleryBackend
{
    private readonly TempGallery _temp = new();

    public override string Location => _temp.DbPath;

    public override IReadOnlyList<(string Name, byte[] Bytes)> TableFiles() =>
        [.. new[] { _temp.DbPath, _temp.DbPath + "-wal" }.Select(f => (Path.GetFileName(f), TempGallery.ReadShared(f)))];

    public override void Dispose() => _temp.Dispose();
}

/// <summary>A fresh database on the test PostgreSQL server.</summary>
public sealed class PostgresBackend : GalleryBackend
{
    private readonly PostgresTestDatabase _database = new();

    public override string Location => _database.ConnectionString;

    public override IReadOnlyList<(string Name, byte[] Bytes)> TableFiles() => _database.TableFiles();

    public override void Dispose() => _database.Dispose();
}
