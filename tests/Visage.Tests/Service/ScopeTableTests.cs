using System.Text;
using Xunit.Abstractions;

namespace Visage.Cli.Tests.Service;

/// <summary>
/// Every endpoint of the OpenAPI document against every kind of key: the status each combination gets. An endpoint
/// missing from <see cref="Scopes"/> fails the test, so a new endpoint must say who may call it.
/// </summary>
/// <remarks>On a service of its own: with an admin key the table calls CompreFace's "delete every subject".</remarks>
public sealed class ScopeTableTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ServiceFixture fixture = new();

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    private const string Anonymous = "anonymous", Recognize = "recognize", Admin = "admin";

    // The compatibility APIs answer in their clients' shapes: CompreFace refuses a missing or unknown key with 400 (codes
    // 20 and 26) and a Visage recognize key on its face collection with 403; DeepStack refuses with 401 "Incorrect api key".
    private const string CompreFaceAnalyze = "compreface analyze", CompreFaceCollection = "compreface collection",
        DeepStackRecognize = "deepstack recognize", DeepStackAdmin = "deepstack admin";

    private static readonly Dictionary<string, string> Scopes = new()
    {
        ["GET /health"] = Anonymous,
        ["GET /ready"] = Anonymous,
        ["GET /metrics"] = Anonymous,
        ["POST /api/v1/cluster"] = Recognize,
        ["POST /api/v1/detect"] = Recognize,
        ["POST /api/v1/embed"] = Recognize,
        ["POST /api/v1/recognize"] = Recognize,
        ["POST /api/v1/verify"] = Recognize,
        ["POST /api/v1/persons"] = Admin,
        ["GET /api/v1/persons"] = Admin,
        ["GET /api/v1/persons/{id}"] = Admin,
        ["PATCH /api/v1/persons/{id}"] = Admin,
        ["DELETE /api/v1/persons/{id}"] = Admin,
        ["POST /api/v1/persons/{id}/faces"] = Admin,
        ["GET /api/v1/persons/{id}/faces"] = Admin,
        ["GET /api/v1/faces/{id}"] = Admin,
        ["GET /api/v1/faces/{id}/thumbnail"] = Admin,
        ["DELETE /api/v1/faces/{id}"] = Admin,
        ["GET /api/v1/keys"] = Admin,
        ["POST /api/v1/keys"] = Admin,
        ["DELETE /api/v1/keys/{id}"] = Admin,
        ["GET /api/v1/sightings"] = Admin,
        ["GET /api/v1/sightings/{id}"] = Admin,
        ["GET /api/v1/sightings/{id}/thumbnail"] = Admin,
        ["POST /api/v1/sightings/{id}/enroll"] = Admin,
        ["POST /api/v1/sightings/{id}/reject"] = Admin,
        ["GET /api/v1/sightings/unknown/clusters"] = Admin,
        ["DELETE /api/v1/sightings/{id}"] = Admin,
        ["DELETE /api/v1/gallery"] = Admin,
        ["GET /api/v1/audit"] = Admin,
        ["POST /api/v1/recognition/recognize"] = CompreFaceAnalyze,
        ["POST /api/v1/recognition/faces/{image_id}/verify"] = CompreFaceAnalyze,
        ["POST /api/v1/detection/detect"] = CompreFaceAnalyze,
        ["POST /api/v1/verification/verify"] = CompreFaceAnalyze,
        ["POST /api/v1/recognition/faces"] = CompreFaceCollection,
        ["GET /api/v1/recognition/faces"] = CompreFaceCollection,
        ["DELETE /api/v1/recognition/faces"] = CompreFaceCollection,
        ["POST /api/v1/recognition/faces/delete"] = CompreFaceCollection,
        ["DELETE /api/v1/recognition/faces/{image_id}"] = CompreFaceCollection,
        ["GET /api/v1/recognition/faces/{image_id}/img"] = CompreFaceCollection,
        ["GET /api/v1/recognition/subjects"] = CompreFaceCollection,
        ["POST /api/v1/recognition/subjects"] = CompreFaceCollection,
        ["PUT /api/v1/recognition/subjects/{subject}"] = CompreFaceCollection,
        ["DELETE /api/v1/recognition/subjects/{subject}"] = CompreFaceCollection,
        ["DELETE /api/v1/recognition/subjects"] = CompreFaceCollection,
        ["POST /v1/vision/face"] = DeepStackRecognize,
        ["POST /v1/vision/face/recognize"] = DeepStackRecognize,
        ["POST /v1/vision/face/match"] = DeepStackRecognize,
        ["POST /v1/vision/face/register"] = DeepStackAdmin,
        ["POST /v1/vision/face/list"] = DeepStackAdmin,
        ["POST /v1/vision/face/delete"] = DeepStackAdmin,
        ["POST /api/v1/cameras"] = Admin,
        ["GET /api/v1/cameras"] = Recognize,
        ["GET /api/v1/cameras/{id}"] = Recognize,
        ["DELETE /api/v1/cameras/{id}"] = Admin,
        ["GET /api/v1/cameras/{id}/snapshot"] = Recognize,
        ["GET /api/v1/cameras/{id}/stream"] = Recognize,
        ["GET /api/v1/cameras/{id}/appearances"] = Recognize,
        ["GET /api/v1/events"] = Recognize,
    };

    private static readonly string[] KeyKinds = ["none", "unknown", "revoked", Recognize, Admin];

    [Fact]
    public async Task EveryEndpoint_WithEveryKindOfKey_GetsTheStatusItsScopeSays()
    {
        var server = fixture.Server;
        var keys = new Dictionary<string, string?>
        {
            ["none"] = null,
            ["unknown"] = "vsg_" + new string('Z', 43),
            ["revoked"] = await server.CreateKeyAsync(Admin, "to revoke"),
            [Recognize] = await server.CreateKeyAsync(Recognize, "table"),
            [Admin] = VisageServer.AdminKey,
        };
        var revokedId = (await server.Client.GetFromJsonAsync<JsonElement>("/api/v1/keys")).EnumerateArray().Last(k => k.GetProperty("name").GetString() == "to revoke").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/api/v1/keys/{revokedId}")).StatusCode);

        var document = await server.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var endpoints = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}")).Order().ToList();
        Assert.Equal(Scopes.Keys.Order(), endpoints);

        var table = new StringBuilder("| endpoint | scope | " + string.Join(" | ", KeyKinds) + " |\n|---|---|" + string.Concat(KeyKinds.Select(_ => "---|")) + "\n");
        var wrong = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var scope = Scopes[endpoint];
            table.Append($"| `{endpoint}` | {scope} |");
            foreach (var kind in KeyKinds)
            {
                using var client = server.NewClient(keys[kind]);
                var status = await Call(client, endpoint);
                table.Append($" {status} |");
                var expected = Expected(scope, kind);
                var ok = expected is { } exact ? status == exact : status is not (401 or 403) && status < 500;
                if (!ok) wrong.Add($"{endpoint} with {kind} key: {status}, expected {expected?.ToString() ?? "not 401/403/5xx"}");
            }
            table.Append('\n');
        }
        output.WriteLine(table.ToString());
        Assert.True(wrong.Count == 0, string.Join("\n", wrong) + "\n" + table);
    }

    /// <summary>The exact status for a refusal, or null where the key passes (the status is then the request's own).</summary>
    private static int? Expected(string scope, string kind) => (scope, kind) switch
    {
        (Anonymous, _) => null,
        (CompreFaceAnalyze or CompreFaceCollection, "none" or "unknown" or "revoked") => 400,
        (CompreFaceCollection, Recognize) => 403,
        (CompreFaceAnalyze or CompreFaceCollection, _) => null,
        (DeepStackRecognize or DeepStackAdmin, "none" or "unknown" or "revoked") => 401,
        (DeepStackAdmin, Recognize) => 401,
        (DeepStackRecognize or DeepStackAdmin, _) => null,
        (_, "none" or "unknown" or "revoked") => 401,
        (Admin, Recognize) => 403,
        _ => null,
    };

    /// <summary>The endpoint called with an empty JSON object and ids nobody has: past the key check, a 4xx of its own.</summary>
    private static async Task<int> Call(HttpClient client, string endpoint)
    {
        var (method, path) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1].Replace("{id}", "987654321", StringComparison.Ordinal)
            .Replace("{image_id}", "00000000-0000-4000-8000-00003ade68b1", StringComparison.Ordinal).Replace("{subject}", "nobody", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH" or "PUT") request.Content = JsonContent.Create(new { });
        // Headers only: the event stream's body never ends.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (int)response.StatusCode;
    }
}
