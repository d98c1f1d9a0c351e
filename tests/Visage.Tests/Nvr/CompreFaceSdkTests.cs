using System.Diagnostics;
using Visage.Reliability;
using Visage.Tests;

namespace Visage.Cli.Tests.Nvr;

/// <summary>
/// The official CompreFace JavaScript SDK (npm <c>@exadel/compreface-js-sdk</c> 1.0.0, installed by scripts/test.sh into
/// tests/compreface-sdk with its lock file) driven by Node against a real <c>visage serve</c> process, with CompreFace
/// keys made by <c>visage keys create --compreface</c>: subjects, faces, recognize, detect, verify, delete.
/// </summary>
public sealed class CompreFaceSdkTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-cf-sdk-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    private string Database => Path.Combine(_dir.FullName, "gallery.db");

    private string Key(string service)
    {
        var made = VisageProcess.Run("keys", "create", "--name", "sdk " + service, "--compreface", service, "--db", Database, "--json");
        Assert.True(made.ExitCode == 0, made.ToString());
        return made.Json.GetProperty("key").GetString()!;
    }

    [Fact]
    public async Task TheOfficialSdk_AddsRecognizesDetectsVerifiesAndDeletes()
    {
        var sdk = Path.Combine(TestData.RepoRoot, "tests", "compreface-sdk");
        Assert.True(Directory.Exists(Path.Combine(sdk, "node_modules", "@exadel", "compreface-js-sdk")),
            "the SDK is not installed: scripts/test.sh runs npm ci --prefix tests/compreface-sdk");
        var (recognition, detection, verification) = (Key("recognition"), Key("detection"), Key("verification"));
        await using var server = await ServerProcess.StartAsync(Database, Path.Combine(_dir.FullName, "server.log"));

        var psi = new ProcessStartInfo("node") { WorkingDirectory = TestData.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(sdk, "sdk-test.mjs"), "http://127.0.0.1", server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            recognition, detection, verification, TestData.Faces })
            psi.ArgumentList.Add(a);
        using var node = Process.Start(psi)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        Assert.True(node.WaitForExit(TimeSpan.FromMinutes(2)), "the SDK script did not finish");
        Assert.True(node.ExitCode == 0, await stderr);
        // The SDK prints lines of its own: the script's report is the last line.
        var output = await stdout;
        var r = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.True(r.ValueKind == JsonValueKind.Object, output);

        Assert.Equal("Edward Lu", r.GetProperty("addSubject").GetProperty("subject").GetString());
        Assert.Equal("Edward Lu", r.GetProperty("addFace").GetProperty("subject").GetString());
        Assert.Equal("Edward Lu", r.GetProperty("addFaceWithOption").GetProperty("subject").GetString()); // the SDK's "?...?det_prob_threshold"
        Assert.Equal(3, r.GetProperty("list").GetProperty("faces").GetArrayLength());
        Assert.Equal(["Edward Lu", "Joseph Biden"], r.GetProperty("subjects").GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));

        var face = r.GetProperty("recognize").GetProperty("result")[0];
        Assert.Equal("Edward Lu", face.GetProperty("subjects")[0].GetProperty("subject").GetString());
        Assert.InRange(face.GetProperty("subjects")[0].GetProperty("similarity").GetDouble(), 0.5, 1);
        Assert.Equal(2, face.GetProperty("subjects").GetArrayLength());
        Assert.Equal(5, face.GetProperty("landmarks").GetArrayLength());
        Assert.True(r.GetProperty("recognize").TryGetProperty("plugins_versions", out _));
        Assert.All(r.GetProperty("recognizeStranger").GetProperty("result")[0].GetProperty("subjects").EnumerateArray(),
            s => Assert.InRange(s.GetProperty("similarity").GetDouble(), 0, 0.5));
        Assert.Equal("Edward Lu", r.GetProperty("recognizeBase64").GetProperty("result")[0].GetProperty("subjects")[0].GetProperty("subject").GetString());
        Assert.Equal(400, r.GetProperty("recognizeNoFace").GetProperty("status").GetInt32());
        Assert.Equal(28, r.GetProperty("recognizeNoFace").GetProperty("error").GetProperty("code").GetInt32());

        Assert.Equal(3, r.GetProperty("detect").GetProperty("result").GetArrayLength());
        Assert.InRange(r.GetProperty("verify").GetProperty("result")[0].GetProperty("face_matches")[0].GetProperty("similarity").GetDouble(), 0.5, 1);
        Assert.InRange(r.GetProperty("verifyStranger").GetProperty("result")[0].GetProperty("face_matches")[0].GetProperty("similarity").GetDouble(), 0, 0.5);
        Assert.Equal("Edward Lu", r.GetProperty("verifyStored").GetProperty("result")[0].GetProperty("subject").GetString());

        Assert.True(r.GetProperty("rename").GetProperty("updated").GetBoolean());
        Assert.Equal(r.GetProperty("addFace").GetProperty("image_id").GetString(), r.GetProperty("deleteFace").GetProperty("image_id").GetString());
        Assert.Equal(1, r.GetProperty("deleteSubjectFaces").GetProperty("deleted").GetInt32());
        Assert.Equal("Joe Biden", r.GetProperty("deleteSubject").GetProperty("subject").GetString());
        Assert.Equal(["Edward Lu"], r.GetProperty("subjectsAfter").GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));
    }
}
