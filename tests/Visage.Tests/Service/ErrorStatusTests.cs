using Visage.Tests;

namespace Visage.Cli.Tests.Service;

/// <summary>Every error the API promises, one test per status, each a problem JSON (never a 500 for bad input).</summary>
[Collection(ServiceCollection.Name)]
public sealed class ErrorStatusTests(ServiceFixture fixture)
{
    private VisageServer Server => fixture.Server;

    [Fact]
    public async Task Status400_MalformedBase64()
    {
        var response = await Server.Client.PostAsync("/api/v1/detect", JsonContent.Create(new { image = "data:image/jpeg;base64,@@not base64@@" }));
        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "not valid base64");
    }

    [Fact]
    public async Task Status400_MalformedJsonBody()
    {
        var response = await Server.Client.PostAsync("/api/v1/detect", new StringContent("{\"image\": ", System.Text.Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task Status401_NoKey_And_UnknownKey()
    {
        using var none = Server.NewClient(null);
        var response = await none.PostAsync("/api/v1/recognize", Bodies.Raw(Photos.Obama(1)));
        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "needs an API key");
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString());

        using var wrong = Server.NewClient("vsg_" + new string('A', 43));
        await ProblemAssert.IsProblem(await wrong.GetAsync("/api/v1/persons"), HttpStatusCode.Unauthorized, "not valid");
    }

    [Fact]
    public async Task Status403_RecognizeKey_CannotEnrollOrManage()
    {
        using var client = Server.NewClient(await Server.CreateKeyAsync("recognize"));
        await ProblemAssert.IsProblem(await client.PostAsJsonAsync("/api/v1/persons", new { name = "Mallory" }), HttpStatusCode.Forbidden, "admin");
        await ProblemAssert.IsProblem(await client.GetAsync("/api/v1/keys"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/detect", Bodies.Raw(Photos.Obama(1)))).StatusCode);
    }

    [Fact]
    public async Task Status404_UnknownPersonOrFace()
    {
        await ProblemAssert.IsProblem(await Server.Client.GetAsync("/api/v1/persons/987654"), HttpStatusCode.NotFound, "987654");
        await ProblemAssert.IsProblem(await Server.Client.PostAsync("/api/v1/persons/987654/faces", Bodies.Raw(Photos.Obama(1))), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await Server.Client.DeleteAsync("/api/v1/faces/987654"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Status409_DuplicatePersonName()
    {
        Assert.Equal(HttpStatusCode.Created, (await Server.Client.PostAsJsonAsync("/api/v1/persons", new { name = "Twin" })).StatusCode);
        await ProblemAssert.IsProblem(await Server.Client.PostAsJsonAsync("/api/v1/persons", new { name = "Twin" }), HttpStatusCode.Conflict, "Twin");
    }

    [Fact]
    public async Task Status413_BodyOverTheLimit()
    {
        var body = new byte[(int)Server.Options.MaxBodyBytes + 1]; // 20 MB + 1 byte, the default limit
        // Expect: 100-continue, as curl sends for large bodies: the server refuses before the body is sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/detect") { Content = Bodies.Raw(body) };
        request.Headers.ExpectContinue = true;
        var response = await Server.Client.SendAsync(request);
        await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Status413_PixelCountOverTheLimit()
    {
        var response = await Server.Client.PostAsync("/api/v1/detect", Bodies.Raw(HostileImages.BlackPng(10_000, 10_000), "image/png"));
        await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge, "over the limit");
    }

    [Fact]
    public async Task Status415_NotAnImage()
    {
        var response = await Server.Client.PostAsync("/api/v1/recognize", Bodies.Raw("just some text"u8.ToArray()));
        await ProblemAssert.IsProblem(response, HttpStatusCode.UnsupportedMediaType, "not an image");
        var plain = await Server.Client.PostAsync("/api/v1/recognize", new StringContent("hello"));
        await ProblemAssert.IsProblem(plain, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Status422_NoFace_Or_SeveralFaces_WhereOneIsNeeded()
    {
        var person = await (await Server.Client.PostAsJsonAsync("/api/v1/persons", new { name = "Nobody In Particular" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = person.GetProperty("id").GetInt64();
        await ProblemAssert.IsProblem(await Server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Landscape)),
            HttpStatusCode.UnprocessableEntity, "no face");
        await ProblemAssert.IsProblem(await Server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.ThreeFaces)),
            HttpStatusCode.UnprocessableEntity, "3 faces");
        var faces = await Server.Client.GetFromJsonAsync<JsonElement>($"/api/v1/persons/{id}/faces");
        Assert.Equal(0, faces.GetArrayLength());
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "truncated jpeg", "/api/v1/recognize" },
        { "random bytes as png", "/api/v1/detect" },
        { "empty body", "/api/v1/embed" },
        { "json array", "/api/v1/recognize" },
        { "json object without image", "/api/v1/recognize" },
        { "data url of text", "/api/v1/detect" },
        { "data url without base64", "/api/v1/detect" },
        { "multipart without a file", "/api/v1/verify" },
        { "one image to verify", "/api/v1/verify" },
        { "bad personId", "/api/v1/verify?personId=abc" },
        { "negative threshold", "/api/v1/recognize?threshold=-1" },
        { "k of zero", "/api/v1/recognize?mode=knn&k=0" },
        { "person name as number", "/api/v1/persons" },
        { "id out of range", "/api/v1/persons/99999999999999999999" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_IsA4xxProblem_NeverA500(string kind, string path)
    {
        HttpContent body = kind switch
        {
            "truncated jpeg" => Bodies.Raw(File.ReadAllBytes(Photos.Lu(2))[..2000]),
            "random bytes as png" => Bodies.Raw(Enumerable.Range(0, 5000).Select(i => (byte)(i * 31)).ToArray(), "image/png"),
            "empty body" => Bodies.Raw([]),
            "json array" => new StringContent("[1,2]", System.Text.Encoding.UTF8, "application/json"),
            "json object without image" => JsonContent.Create(new { picture = 3 }),
            "data url of text" => JsonContent.Create(new { image = "data:text/plain;base64,aGVsbG8=" }),
            "data url without base64" => JsonContent.Create(new { image = "data:image/png,hello" }),
            "multipart without a file" => Bodies.Multipart([], [("personId", "1")]),
            "person name as number" => JsonContent.Create(new { name = 5 }),
            _ => Bodies.Raw(Photos.Lu(2)),
        };
        var response = await Server.Client.PostAsync(path, body);
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{kind}: {status} {await response.Content.ReadAsStringAsync()}");
        await ProblemAssert.IsProblem(response, response.StatusCode);
    }
}
