using System.Text.RegularExpressions;
using Visage.Reliability;
using Visage.Tests;

namespace Visage.Cli.Tests.Service;

/// <summary>API keys: hashed at rest, scopes, revocation, <c>visage keys</c>, and the first start of <c>visage serve</c>.</summary>
public sealed partial class KeysTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-keys-");

    private string Db => Path.Combine(_dir.FullName, "gallery.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public void KeysCommand_Creates_Lists_Revokes_AndStoresOnlyHashes()
    {
        var created = VisageProcess.Run("keys", "create", "--name", "kiosk", "--scope", "recognize", "--db", Db, "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var key = created.Json.GetProperty("key").GetString()!;
        Assert.StartsWith("vsg_", key);
        Assert.True(key.Length >= 40);

        var list = VisageProcess.Run("keys", "list", "--db", Db, "--json");
        var row = Assert.Single(list.Json.EnumerateArray());
        Assert.Equal("kiosk", row.GetProperty("name").GetString());
        Assert.Equal("recognize", row.GetProperty("scope").GetString());
        Assert.DoesNotContain(key, list.Stdout);
        Assert.Equal(-1, File.ReadAllBytes(Db).AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key))); // never stored in clear

        var id = row.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, VisageProcess.Run("keys", "revoke", id, "--db", Db).ExitCode);
        Assert.Equal(0, VisageProcess.Run("keys", "list", "--db", Db, "--json").Json.GetArrayLength());
        Assert.NotEqual(0, VisageProcess.Run("keys", "revoke", id, "--db", Db).ExitCode);
    }

    [Fact]
    public async Task FirstStart_PrintsAGeneratedAdminKeyOnce_AndKeysWorkAcrossRestarts()
    {
        string adminKey;
        string recognizeKey;
        await using (var first = await ServerProcess.StartAsync(Db, Path.Combine(_dir.FullName, "first.log"), adminKey: null))
        {
            // Printed as the start reads the (empty) key table, which /ready does not wait for.
            await Eventually(() => Task.FromResult(AdminKeyLine().IsMatch(first.Output)));
            adminKey = AdminKeyLine().Match(first.Output).Groups[1].Value;
            // What a user reads first: the address, then the key; none of ASP.NET Core's own information lines.
            var lines = first.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("visage: listening on http://127.0.0.1:", lines[0]);
            Assert.Matches(AdminKeyLine(), lines[1]);
            Assert.DoesNotContain("info: Microsoft", first.Output);
            Assert.StartsWith("vsg_", adminKey);
            using var admin = first.Client(adminKey);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/persons")).StatusCode);
            // A key made by the CLI while the service runs is accepted within the refresh interval.
            recognizeKey = VisageProcess.Run("keys", "create", "--name", "cli", "--db", Db).Stdout.Trim();
            using var recognizer = first.Client(recognizeKey);
            await Eventually(async () => (await recognizer.PostAsync("/api/v1/detect", Bodies.Raw(Photos.Lu(2)))).StatusCode == HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.Forbidden, (await recognizer.GetAsync("/api/v1/persons")).StatusCode);
        }

        await using var second = await ServerProcess.StartAsync(Db, Path.Combine(_dir.FullName, "second.log"), adminKey: null);
        Assert.DoesNotMatch(AdminKeyLine(), second.Output);
        using (var admin = second.Client(adminKey))
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/persons")).StatusCode);

        // Revoked through the API: refused from then on.
        var id = VisageProcess.Run("keys", "list", "--db", Db, "--json").Json.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "cli").GetProperty("id").GetInt64();
        using (var admin = second.Client(adminKey))
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/keys/{id}")).StatusCode);
        using var revoked = second.Client(recognizeKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.PostAsync("/api/v1/detect", Bodies.Raw(Photos.Lu(2)))).StatusCode);
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("condition not met within 5 s");
    }

    [GeneratedRegex(@"admin API key \(shown only now; keep it\): (\S+)")]
    private static partial Regex AdminKeyLine();
}
