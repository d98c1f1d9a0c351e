namespace Visage.Tests.Gallery;

/// <summary>Where a gallery test keeps its gallery: the same tests run once on each store.</summary>
public abstract class GalleryBackend : IDisposable
{
    /// <summary>The location to pass to <c>GalleryStores.Open</c> or <c>FaceGallery.Open</c>.</summary>
    public abstract string Location { get; }

    public abstract void Dispose();
}

/// <summary>A SQLite file in a temp directory.</summary>
public sealed class SqliteBackend : GalleryBackend
{
    private readonly TempGallery _temp = new();

    public override string Location => _temp.DbPath;

    public override void Dispose() => _temp.Dispose();
}

/// <summary>A fresh database on the test PostgreSQL server.</summary>
public sealed class PostgresBackend : GalleryBackend
{
    private readonly PostgresTestDatabase _database = new();

    public override string Location => _database.ConnectionString;

    public override void Dispose() => _database.Dispose();
}
