using System.Text;
using Npgsql;
using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Reliability;
using Visage.Tests;

namespace Visage.Cli.Tests.Service;

/// <summary>
/// Deleting a person through the API of a real <c>visage serve</c> (logging all it lets through, down to Trace) leaves no
/// descriptor, thumbnail, image hash or name anywhere, the person's camera sightings and rejections included: not in the
/// database files (SQLite's, and on PostgreSQL every file of the database once the service rewrote the tables), not in
/// the logs, not in the change log. API keys never appear in the logs either.
/// </summary>
public sealed class ErasureTests : IDisposable
{
    private const string Name = "Erase Me Completely";

    private static readonly Dictionary<string, string> TraceLogs = new()
    {
        ["Logging__LogLevel__Default"] = "Trace",
        ["Logging__LogLevel__Microsoft"] = "Trace",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
    };

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-erasure-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    /// <summary>What must be gone: byte strings, each recognizable on its own.</summary>
    private sealed record Traces(List<(string What, byte[] Bytes)> Needles)
    {
        public List<string> FoundIn(string what, byte[] haystack) =>
            Needles.Where(n => haystack.AsSpan().IndexOf(n.Bytes) >= 0).Select(n => $"{n.What} in {what}").ToList();
    }

    /// <summary>Enrolls two faces of <see cref="Name"/> and asks about them, then reads what the store holds of them.</summary>
    private static async Task<(long Person, Traces Traces)> EnrollAndAsk(HttpClient admin, string database)
    {
        var person = await Api.CreatePersonAsync(admin, Name);
        foreach (var photo in new[] { Photos.Lu(2), Photos.Lu(3) })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/api/v1/persons/{person}/faces", Bodies.Raw(photo))).StatusCode);
        var embedded = await (await admin.PostAsync("/api/v1/embed", Bodies.Raw(Photos.Lu(2)))).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/recognize", Bodies.Raw(Photos.Lu(2)))).StatusCode);

        var needles = new List<(string, byte[])> { ("name", Encoding.UTF8.GetBytes(Name)) };
        // The descriptor as the API prints it: its first numbers, as text (a log line quoting it would hold them).
        var numbers = JsonDocument.Parse(embedded).RootElement.GetProperty("faces")[0].GetProperty("embedding").EnumerateArray().Take(3).Select(e => e.GetRawText());
        needles.Add(("descriptor as text", Encoding.UTF8.GetBytes(string.Join(",", numbers))));
        using var store = GalleryStores.Open(database);
        foreach (var face in store.ListFaces(person))
        {
            var blob = new byte[face.Embedding.Vector.Length * sizeof(float)];
            Buffer.BlockCopy(face.Embedding.Vector.ToArray(), 0, blob, 0, blob.Length);
            // Three 32-byte windows (8 floats each): a partly overwritten copy is found too.
            for (var at = 0; at < blob.Length; at += 224) needles.Add(($"face {face.Id} descriptor bytes {at}", blob[at..(at + 32)]));
            var jpeg = store.GetThumbnail(face.Id)!;
            needles.Add(($"face {face.Id} thumbnail", jpeg[(jpeg.Length / 2)..(jpeg.Length / 2 + 48)]));
            needles.Add(($"face {face.Id} image hash", Encoding.ASCII.GetBytes(face.ImageSha256)));
        }
        // A camera's sighting named as the person, and a rejection of the person ("that was not me"): both go with them.
        var first = store.ListFaces(person)[0];
        float[] Shifted(float by) => [.. first.Embedding.Vector.ToArray().Select(v => v + by)];
        using (var gallery = new FaceGallery(GalleryStores.Open(database), first.Embedding.ModelId))
        {
            var thumbnail = Encoding.ASCII.GetBytes("sighting thumbnail " + Guid.NewGuid());
            var seen = new Visage.Sightings.SightingStore(gallery).Record(new Visage.Sightings.NewSighting("porch", "frigate", "ev-1", DateTime.UtcNow, person, 0.9f, 0.2f,
                new Visage.Faces.Face(first.Box, 0.9f, Embedding: new Visage.Faces.FaceEmbedding(Shifted(0.001f), first.Embedding.ModelId)),
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(thumbnail)), thumbnail));
            needles.Add(("sighting thumbnail", thumbnail));
            needles.Add(("sighting image hash", Encoding.ASCII.GetBytes(seen.ImageSha256)));
            needles.Add(("sighting descriptor bytes", Bytes(Shifted(0.001f))[..32]));
            gallery.Reject(person, new Visage.Faces.FaceEmbedding(Shifted(0.002f), first.Embedding.ModelId));
            needles.Add(("rejection descriptor bytes", Bytes(Shifted(0.002f))[..32]));
        }
        return (person, new Traces(needles));
    }

    [Fact]
    public async Task OnSqlite_NoTraceIsLeft_InTheDatabaseFiles_OrTheLogs_AndNoKeyIsLogged()
    {
        var database = Path.Combine(_dir.FullName, "gallery.db");
        var log = Path.Combine(_dir.FullName, "server.log");
        Traces traces;
        string recognizeKey;
        await using (var server = await ServerProcess.StartAsync(database, log, env: TraceLogs))
        {
            using var admin = server.Client();
            (var person, traces) = await EnrollAndAsk(admin, database);
            recognizeKey = await Api.CreateKeyAsync(admin, "recognize", "logged?");
            using (var recognizer = server.Client(recognizeKey))
                await recognizer.PostAsync("/api/v1/detect", Bodies.Raw(Photos.Lu(4)));
            using (var stranger = server.Client("vsg_" + new string('Q', 43)))
                Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/persons")).StatusCode);

            Assert.Contains(traces.Needles[^1].What, string.Join(";", SearchFiles(traces))); // the needles find what is there
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/persons/{person}")).StatusCode);
            Assert.Empty(SearchFiles(traces)); // while the service still runs
        }
        Assert.Empty(SearchFiles(traces)); // and after it stopped
        var output = File.ReadAllText(log);
        Assert.Contains("dbug: ", output); // the check reads a verbose log, not a quiet one
        foreach (var key in new[] { ServerProcess.AdminKey, recognizeKey, "vsg_" + new string('Q', 43) })
            Assert.DoesNotContain(key, output);
    }

    [Fact]
    public async Task OnPostgres_NoRowOfAnyTable_NorAnyFileOfTheDatabase_HoldsATraceOfTheDeletedPerson()
    {
        using var db = new PostgresTestDatabase();
        var log = Path.Combine(_dir.FullName, "server.log");
        await using var server = await ServerProcess.StartAsync(db.ConnectionString, log, ["--erasure-delay", "0.5"], env: TraceLogs);
        using var admin = server.Client();
        var (person, traces) = await EnrollAndAsk(admin, db.ConnectionString);
        Assert.NotEmpty(Found(traces, Dump(db.ConnectionString))); // the needles find what is there
        Assert.NotEmpty(SearchFiles(traces, db.TableFiles()));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/persons/{person}")).StatusCode);

        Assert.Empty(Found(traces, Dump(db.ConnectionString)));
        Assert.Empty(traces.FoundIn("server log", File.ReadAllBytes(log)));
        // The service rewrites the tables the deletion touched by itself, once its erasure delay passed.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Convert.ToInt64(PostgresCluster.Execute(db.ConnectionString, "SELECT count(*) FROM erasure_pending"), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            Assert.True(DateTime.UtcNow < until, "the service did not complete the erasure within 60 s");
            await Task.Delay(200);
        }
        Assert.Empty(SearchFiles(traces, db.TableFiles()));
        Assert.Contains("Erasure completed on disk: rewrote ", File.ReadAllText(log));
    }

    private static List<string> SearchFiles(Traces traces, IReadOnlyList<(string Name, byte[] Bytes)> files) =>
        [.. files.SelectMany(f => traces.FoundIn($"database file {f.Name}", f.Bytes))];

    private static byte[] Bytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static List<string> Found(Traces traces, string text) => traces.Needles
        .Where(n => text.Contains(Encoding.Latin1.GetString(n.Bytes), StringComparison.Ordinal) || text.Contains(Convert.ToHexStringLower(n.Bytes), StringComparison.Ordinal))
        .Select(n => n.What).ToList();

    /// <summary>Every row of every table of the database, as PostgreSQL prints it (bytea as \x hex).</summary>
    private static string Dump(string connectionString)
    {
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        var tables = new List<string>();
        using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", c))
        using (var reader = list.ExecuteReader())
            while (reader.Read()) tables.Add(reader.GetString(0));
        Assert.Contains("gallery_changes", tables);
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            using var rows = new NpgsqlCommand($"SELECT t::text FROM {table} t", c);
            using var reader = rows.ExecuteReader();
            while (reader.Read()) dump.AppendLine(reader.GetString(0));
        }
        return dump.ToString();
    }

    /// <summary>Every file in the test's directory: the database, its -wal and -shm, the log.</summary>
    private List<string> SearchFiles(Traces traces) =>
        [.. Directory.GetFiles(_dir.FullName).SelectMany(f => traces.FoundIn(Path.GetFileName(f), ReadShared(f)))];

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
