using System.Diagnostics;
using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Reliability;

namespace Visage.Cli.Tests.Service;

/// <summary>
/// A SQLite gallery on a small tmpfs of its own (mounted by the test: it needs root, as CI runs), so the disk can be
/// filled under a real <c>visage serve</c> (writes get a clear 503 problem, reads go on) or made read-only (Linux refuses
/// that while a file is open for writing, so it happens between two runs): nothing acknowledged is lost, the file
/// passes its integrity check, and the service recovers without a restart.
/// </summary>
public sealed class DiskFaultTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-disk-");
    private readonly string _mount;

    public DiskFaultTests()
    {
        _mount = Path.Combine(_dir.FullName, "mnt");
        Directory.CreateDirectory(_mount);
        Mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", _mount);
    }

    private string Database => Path.Combine(_mount, "gallery.db");

    private string Log => Path.Combine(_dir.FullName, "server.log");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Run("umount", "-l", _mount);
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task DiskFull_WritesGetAClear503_NothingAcknowledgedIsLost_AndWritesResumeOnceThereIsRoom()
    {
        await using var server = await ServerProcess.StartAsync(Database, Log);
        using var admin = server.Client();
        var person = await Api.CreatePersonAsync(admin, "Disk Full");
        var acked = new List<long>();
        Assert.True(await Enroll(admin, person, Photos.Lu(2), acked) is 201);

        var filler = Path.Combine(_mount, "filler");
        FillUp(filler);
        // SQLite may still fit a commit or two into space its WAL already holds; then it must say the disk is full.
        var statuses = new List<int>();
        foreach (var photo in new[] { Photos.Lu(3), Photos.Lu(4), Photos.Lu(5), Photos.Lu(6), Photos.Biden(2), Photos.Biden(3), Photos.Biden(4) })
        {
            var response = await admin.PostAsync($"/api/v1/persons/{person}/faces", Bodies.Raw(photo));
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Created) acked.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable) continue;
            await ProblemAssert.IsProblem(response, HttpStatusCode.ServiceUnavailable, "full");
            ProblemAssert.RetryAfterSeconds(response);
            break;
        }
        Assert.True(statuses[^1] == 503 && statuses.All(s => s is 201 or 503), string.Join(", ", statuses));
        var (recognized, who, _, _) = await Api.RecognizeAsync(admin, File.ReadAllBytes(Photos.Lu(2)));
        Assert.Equal((200, person), (recognized, who)); // reading goes on from memory

        File.Delete(filler);
        Assert.Equal(201, await Eventually(() => Enroll(admin, person, Photos.Biden(5), acked)));
        await server.DisposeAsync();
        AssertIntact(acked);
    }

    [Fact]
    public async Task ReadOnlyDisk_EveryRequestGetsAClear503_TheCliOneLine_AndTheServiceRecoversOnceWritable()
    {
        var acked = new List<long>();
        long person;
        await using (var first = await ServerProcess.StartAsync(Database, Log))
        {
            using var admin = first.Client();
            person = await Api.CreatePersonAsync(admin, "Read Only");
            Assert.True(await Enroll(admin, person, Photos.Lu(2), acked) is 201);
        }
        Mount("-o", "remount,ro", _mount);

        // The CLI says so in one line, with its database exit code.
        var people = Directory.CreateDirectory(Path.Combine(_dir.FullName, "people", "Ann"));
        File.Copy(Photos.Lu(3), Path.Combine(people.FullName, "a.jpg"));
        var cli = VisageProcess.Run("enroll", people.Parent!.FullName, "--db", Database);
        Assert.True(cli.ExitCode == ExitCodes.DatabaseUnavailable && cli.Stderr.Trim().Split('\n').Length == 1, cli.ToString());
        Assert.True(cli.Stderr.Contains("read", StringComparison.OrdinalIgnoreCase), cli.Stderr);

        // SQLite cannot open its WAL-mode file on a read-only file system at all: every request says why, with a 503.
        await using var server = await ServerProcess.StartAsync(Database, Log, waitUntilReady: false);
        using var client = server.Client();
        await WhileModelsLoad(server.Client(null));
        var refused = await client.PostAsync($"/api/v1/persons/{person}/faces", Bodies.Raw(Photos.Lu(4)));
        await ProblemAssert.IsProblem(refused, HttpStatusCode.ServiceUnavailable, "read-only");
        ProblemAssert.RetryAfterSeconds(refused);
        await ProblemAssert.IsProblem(await server.Client(null).GetAsync("/ready"), HttpStatusCode.ServiceUnavailable, "read-only");

        Mount("-o", "remount,rw", _mount);
        Assert.Equal(201, await Eventually(() => Enroll(client, person, Photos.Lu(4), acked)));
        var (recognized, who, _, _) = await Api.RecognizeAsync(client, File.ReadAllBytes(Photos.Lu(2)));
        Assert.Equal((200, person), (recognized, who));
        await server.DisposeAsync();
        AssertIntact(acked);
    }

    private void AssertIntact(List<long> acked)
    {
        Assert.Empty(GalleryIntegrity.Check(Database));
        using var store = GalleryStores.Open(Database);
        Assert.All(acked, id => Assert.NotNull(store.GetFace(id)));
    }

    private static async Task<int> Enroll(HttpClient admin, long person, string photo, List<long> acked)
    {
        var response = await admin.PostAsync($"/api/v1/persons/{person}/faces", Bodies.Raw(photo));
        if (response.StatusCode == HttpStatusCode.Created) acked.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        return (int)response.StatusCode;
    }

    /// <summary>Waits while <c>/ready</c> says the models are loading (a 503 of its own, before the database is looked at).</summary>
    private static async Task WhileModelsLoad(HttpClient anonymous)
    {
        for (var i = 0; i < 240; i++)
        {
            var ready = await anonymous.GetAsync("/ready");
            if (!(await ready.Content.ReadAsStringAsync()).Contains("still loading")) return;
            await Task.Delay(250);
        }
        throw new TimeoutException("the models did not load within a minute");
    }

    /// <summary>Retries while the answer is 503 (the service waits a second after a failed open before it tries again).</summary>
    private static async Task<int> Eventually(Func<Task<int>> call)
    {
        var status = 0;
        for (var i = 0; i < 20 && (status = await call()) == 503; i++) await Task.Delay(500);
        return status;
    }

    /// <summary>Writes until the file system says it is full.</summary>
    private static void FillUp(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        foreach (var size in new[] { 65536, 4096, 512, 1 })
        {
            var block = new byte[size];
            try
            {
                while (true) { file.Write(block); file.Flush(); }
            }
            catch (IOException) { } // ENOSPC: try a smaller block
        }
    }

    private static void Mount(params string[] args) => Run("mount", args);

    private static void Run(string command, params string[] args)
    {
        var psi = new ProcessStartInfo(command) { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)}: {error} (these tests mount a tmpfs: run them as root)");
    }
}
