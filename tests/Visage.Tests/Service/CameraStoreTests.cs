using Visage.Gallery.Storage;
using Visage.Serve.Cameras;
using Visage.Tests;
using Visage.Video.Sources;

namespace Visage.Cli.Tests.Service;

/// <summary>The camera table beside the gallery's, the same tests on SQLite and PostgreSQL.</summary>
public sealed class CameraStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void AddListGetDelete_KeepTheUrlWithItsCredentials_AndTheNamesUnique(string backend)
    {
        using var database = new Database(backend);
        using (var store = CameraStore.Open(database.Location))
        {
            var door = store.Add("door", "rtsp://admin:hunter2@10.0.0.5:554/stream1", 10, "tiny", null)!;
            var yard = store.Add("yard", "http://127.0.0.1:8080/snapshot.jpg", 2.5, "ssd", "https://hooks.example/visage")!;
            Assert.Null(store.Add("door", "rtsp://127.0.0.1/other", 5, "tiny", null));
            Assert.True(yard.Id > door.Id);
            Assert.Equal("rtsp://admin:***@10.0.0.5:554/stream1", door.Source.ToString());
            Assert.Equal(SourceKind.Snapshot, yard.Source.Kind);
        }
        // A second process (or a restart) reads what the first wrote.
        using (var store = CameraStore.Open(database.Location))
        {
            var all = store.List();
            Assert.Equal(["door", "yard"], all.Select(c => c.Name));
            var door = store.Get(all[0].Id)!;
            Assert.Equal("rtsp://admin:hunter2@10.0.0.5:554/stream1", door.Source.WithCredentialsInline());
            Assert.Equal((10.0, "tiny", (string?)null), (door.Fps, door.Detector, door.Webhook));
            Assert.Equal((2.5, "ssd", "https://hooks.example/visage"), (all[1].Fps, all[1].Detector, all[1].Webhook));
            Assert.InRange(door.CreatedUtc, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
            Assert.True(store.Delete(door.Id));
            Assert.False(store.Delete(door.Id));
            Assert.Null(store.Get(door.Id));
            Assert.Single(store.List());
        }
    }

    /// <summary>A gallery database of either kind, created through the gallery store (as the service does) and removed after.</summary>
    private sealed class Database : IDisposable
    {
        private readonly PostgresTestDatabase? _postgres;
        private readonly DirectoryInfo? _folder;

        public Database(string backend)
        {
            if (backend == "postgres")
            {
                _postgres = new PostgresTestDatabase();
                Location = _postgres.ConnectionString;
            }
            else
            {
                _folder = Directory.CreateTempSubdirectory("visage-cameras-");
                Location = Path.Combine(_folder.FullName, "gallery.db");
            }
            GalleryStores.Open(Location).Dispose();
        }

        public string Location { get; }

        public void Dispose()
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            _postgres?.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _folder?.Delete(recursive: true);
        }
    }
}
