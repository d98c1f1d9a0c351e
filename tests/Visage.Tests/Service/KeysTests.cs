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

    [Fact]
    public async Task VisageAdminKey_OnlyBootstrapsTheFirstKey_ARevokedOneStaysRevoked_AndEveryAdminActionIsAudited()
    {
        string second;
        await using (var server = await ServerProcess.StartAsync(Db, Path.Combine(_dir.FullName, "first.log"))) // VISAGE_ADMIN_KEY set
        {
            using var env = server.Client();
            second = await Api.CreateKeyAsync(env, "admin", "second admin");
            using var admin = server.Client(second);
            var person = await Api.CreatePersonAsync(admin, "Audited Person");
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/persons/{person}")).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/keys/1")).StatusCode); // the VISAGE_ADMIN_KEY one
            await Eventually(async () => (await env.GetAsync("/api/v1/persons")).StatusCode == HttpStatusCode.Unauthorized);
            await Task.Delay(ApiKeyRefresh * 2); // the key ring reads the table again: the variable does not bring the key back
            Assert.Equal(HttpStatusCode.Unauthorized, (await env.GetAsync("/api/v1/persons")).StatusCode);

            var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
            var entries = audit.GetProperty("items").EnumerateArray()
                .Select(e => (Action: e.GetProperty("action").GetString(), Key: e.GetProperty("keyId").ValueKind == JsonValueKind.Null ? (long?)null : e.GetProperty("keyId").GetInt64(),
                    Actor: e.GetProperty("actor").GetString(), Target: e.GetProperty("targetId").ValueKind == JsonValueKind.Null ? (long?)null : e.GetProperty("targetId").GetInt64())).ToList();
            Assert.Equal(
                [("key.revoke", 2L, "second admin", 1L), ("person.delete", 2L, "second admin", person), ("person.create", 2L, "second admin", person),
                 ("key.create", 1L, "admin (VISAGE_ADMIN_KEY)", 2L), ("key.create", null, "visage serve (first start)", 1L)],
                entries.Select(e => (e.Action!, e.Key, e.Actor!, e.Target)).ToList<(string, long?, string, long?)>());
            Assert.DoesNotContain("Audited Person", audit.GetRawText());
        }

        await using var restarted = await ServerProcess.StartAsync(Db, Path.Combine(_dir.FullName, "second.log")); // the same VISAGE_ADMIN_KEY
        using (var env = restarted.Client())
            Assert.Equal(HttpStatusCode.Unauthorized, (await env.GetAsync("/api/v1/persons")).StatusCode);
        using (var admin = restarted.Client(second))
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/persons")).StatusCode);
        Assert.Contains("VISAGE_ADMIN_KEY is not a valid key of this gallery", restarted.Output);

        var cli = VisageProcess.Run("audit", "--db", Db, "--json", "--limit", "2");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Equal(["key.revoke", "person.delete"], cli.Json.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(0, VisageProcess.Run("keys", "create", "--name", "by hand", "--db", Db).ExitCode);
        var byCli = VisageProcess.Run("audit", "--db", Db, "--json", "--limit", "1").Json[0];
        Assert.Equal(("key.create", JsonValueKind.Null), (byCli.GetProperty("action").GetString(), byCli.GetProperty("keyId").ValueKind));
        Assert.StartsWith("cli (", byCli.GetProperty("actor").GetString());
    }

    private static readonly TimeSpan ApiKeyRefresh = Visage.Serve.Keys.ApiKeyRing.RefreshInterval;

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
