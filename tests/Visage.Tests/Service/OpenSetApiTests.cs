using Visage.Imaging;
using Visage.Matching.OpenSet;

namespace Visage.Cli.Tests.Service;

/// <summary>
/// What issue 19 adds to the API, on real photos and a service of its own: the confidence, reason and candidates of
/// every face, the operating point per request and as a setting, bursts, the enrollment bar and the mislabel check.
/// </summary>
public sealed class OpenSetApiTests : IAsyncLifetime
{
    private VisageServer _server = null!;

    public async Task InitializeAsync() => _server = await VisageServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<long> Person(string name)
    {
        var created = await _server.Client.PostAsJsonAsync("/api/v1/persons", new { name });
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private async Task<HttpResponseMessage> AddFace(long person, HttpContent body, string query = "") =>
        await _server.Client.PostAsync($"/api/v1/persons/{person}/faces{query}", body);

    private async Task<JsonElement> Recognize(string query, HttpContent body)
    {
        var response = await _server.Client.PostAsync($"/api/v1/recognize{query}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Every_face_has_a_confidence_a_reason_and_candidates_and_the_operating_point_is_the_callers()
    {
        var lu = await Person("Edward Lu");
        foreach (var n in new[] { 1, 2 }) Assert.Equal(HttpStatusCode.Created, (await AddFace(lu, Bodies.Raw(Photos.Lu(n)))).StatusCode);
        var zidane = await Person("Zinedine Zidane");
        Assert.Equal(HttpStatusCode.Created, (await AddFace(zidane, Bodies.Raw(Photos.Zidane(1)))).StatusCode);

        var known = await Recognize("?candidates=2", Bodies.Raw(Photos.Lu(3)));
        Assert.Equal("openset", known.GetProperty("mode").GetString());
        Assert.Equal(0.01, known.GetProperty("targetFalseAcceptRate").GetDouble());
        Assert.False(known.TryGetProperty("threshold", out _));
        var face = Assert.Single(known.GetProperty("faces").EnumerateArray());
        Assert.Equal("Edward Lu", face.GetProperty("name").GetString());
        Assert.Equal("named", face.GetProperty("reason").GetString());
        Assert.InRange(face.GetProperty("confidence").GetDouble(), 0.9, 1);
        Assert.True(face.GetProperty("distance").GetSingle() < face.GetProperty("threshold").GetSingle());
        var candidates = face.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(["Edward Lu", "Zinedine Zidane"], candidates.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(lu, candidates[0].GetProperty("personId").GetInt64());
        Assert.True(candidates[0].GetProperty("confidence").GetDouble() > candidates[1].GetProperty("confidence").GetDouble());
        Assert.True(candidates[1].GetProperty("distance").GetSingle() > candidates[0].GetProperty("distance").GetSingle());

        var stranger = Assert.Single((await Recognize("", Bodies.Raw(Photos.Stoiber(1)))).GetProperty("faces").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, stranger.GetProperty("name").ValueKind);
        Assert.Equal("no enrolled face close enough", stranger.GetProperty("reason").GetString());
        Assert.InRange(stranger.GetProperty("confidence").GetDouble(), 0.5, 1);
        Assert.Single(stranger.GetProperty("candidates").EnumerateArray());

        // The operating point moves the bar: strict below the default below lenient, for the same face.
        async Task<float> Bar(string strictness) =>
            (await Recognize($"?strictness={strictness}", Bodies.Raw(Photos.Lu(3)))).GetProperty("faces")[0].GetProperty("threshold").GetSingle();
        var (strict, balanced, lenient, rate) = (await Bar("strict"), await Bar("balanced"), await Bar("LENIENT"), await Bar("0.001"));
        Assert.True(strict < balanced && balanced < lenient, $"bars {strict} {balanced} {lenient}");
        Assert.Equal(strict, rate);

        var bad = await ProblemAssert.IsProblem(await _server.Client.PostAsync("/api/v1/recognize?strictness=sure", Bodies.Raw(Photos.Lu(3))), HttpStatusCode.BadRequest);
        Assert.Contains("strictness", bad.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        await ProblemAssert.IsProblem(await _server.Client.PostAsync("/api/v1/recognize?candidates=0", Bodies.Raw(Photos.Lu(3))), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_services_strictness_is_every_requests_default()
    {
        await using var strict = await VisageServer.StartAsync(o => o with { Matching = Visage.Matching.MatchingOptions.At(0.001) });
        foreach (var server in new[] { _server, strict })
        {
            var created = await server.Client.PostAsJsonAsync("/api/v1/persons", new { name = "Edward Lu" });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            Assert.Equal(HttpStatusCode.Created, (await server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Lu(1)))).StatusCode);
        }
        async Task<JsonElement> Ask(VisageServer server, string query) =>
            await (await server.Client.PostAsync($"/api/v1/recognize{query}", Bodies.Raw(Photos.Lu(3)))).Content.ReadFromJsonAsync<JsonElement>();

        var byDefault = await Ask(strict, "");
        Assert.Equal(0.001, byDefault.GetProperty("targetFalseAcceptRate").GetDouble());
        Assert.Equal((await Ask(_server, "?strictness=strict")).GetProperty("faces")[0].GetProperty("threshold").GetSingle(),
            byDefault.GetProperty("faces")[0].GetProperty("threshold").GetSingle());
        Assert.Equal(0.01, (await Ask(strict, "?strictness=balanced")).GetProperty("targetFalseAcceptRate").GetDouble());
    }

    [Fact]
    public async Task A_burst_decides_each_face_once_from_all_its_frames()
    {
        var lu = await Person("Edward Lu");
        Assert.Equal(HttpStatusCode.Created, (await AddFace(lu, Bodies.Raw(Photos.Lu(1)))).StatusCode);

        // Three 250 px photos with the face in the middle stand in for three frames of a camera.
        var burst = await Recognize("?burst=true", Bodies.Multipart([("f0", Photos.Lu(3)), ("f1", Photos.Lu(4)), ("f2", Photos.Lu(5))], []));
        Assert.Equal(3, burst.GetProperty("frames").GetInt32());
        var face = Assert.Single(burst.GetProperty("faces").EnumerateArray());
        Assert.Equal(3, face.GetProperty("frames").GetInt32());
        Assert.Equal("Edward Lu", face.GetProperty("name").GetString());
        // A JSON body takes one property per frame, in order, and burst beside them.
        static string DataUrl(string path) => "data:image/jpeg;base64," + Convert.ToBase64String(File.ReadAllBytes(path));
        var json = await Recognize("", JsonContent.Create(new Dictionary<string, object>
        {
            ["image1"] = DataUrl(Photos.Lu(3)),
            ["image2"] = DataUrl(Photos.Lu(4)),
            ["burst"] = true,
        }));
        Assert.Equal(2, json.GetProperty("frames").GetInt32());

        Assert.Equal(HttpStatusCode.BadRequest, (await _server.Client.PostAsync("/api/v1/recognize",
            Bodies.Multipart([("f0", Photos.Lu(3)), ("f1", Photos.Lu(4))], []))).StatusCode); // several images need burst=true
        var tooMany = Enumerable.Range(0, 9).Select(i => ($"f{i}", Photos.Lu(3))).ToArray();
        var overlong = await ProblemAssert.IsProblem(await _server.Client.PostAsync("/api/v1/recognize?burst=true", Bodies.Multipart(tooMany, [])), HttpStatusCode.BadRequest);
        Assert.Contains("1 to 8 images", overlong.GetProperty("errors").GetProperty("burst")[0].GetString());
        await ProblemAssert.IsProblem(await _server.Client.PostAsync("/api/v1/recognize?burst=maybe", Bodies.Raw(Photos.Lu(3))), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_poor_face_is_refused_with_its_reason_unless_forced_and_the_score_is_kept()
    {
        var ann = await Person("Small Lu");
        var small = Path.Combine(_server.Directory, "small.jpg");
        ImageEncoder.Save(new ImageDecoder().DecodeFile(Photos.Lu(2)).ShrinkBy(4), small);

        var refused = await ProblemAssert.IsProblem(await AddFace(ann, Bodies.Raw(small)), HttpStatusCode.UnprocessableEntity, "pixels high, at least 48 are needed");
        Assert.Contains("force", refused.GetProperty("detail").GetString());
        var forced = await AddFace(ann, Bodies.Raw(small), "?force=true");
        Assert.Equal(HttpStatusCode.Created, forced.StatusCode);
        var good = await AddFace(ann, Bodies.Multipart([("image", Photos.Lu(4))], [("force", "false")]));
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);

        var faces = await _server.Client.GetFromJsonAsync<JsonElement>($"/api/v1/persons/{ann}/faces");
        var scores = faces.EnumerateArray().Select(f => f.GetProperty("quality").GetSingle()).ToList();
        Assert.Equal(2, scores.Count);
        Assert.True(scores[0] < scores[1], $"quality {scores[0]} of the small face, {scores[1]} of the good one");
        await ProblemAssert.IsProblem(await AddFace(ann, Bodies.Raw(small), "?force=yes"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_persons_face_far_from_their_others_is_listed_as_a_probable_mislabel()
    {
        var biden = await Person("Joseph Biden");
        foreach (var n in new[] { 1, 3, 4 }) Assert.Equal(HttpStatusCode.Created, (await AddFace(biden, Bodies.Raw(Photos.Biden(n)))).StatusCode);
        var clean = await _server.Client.GetFromJsonAsync<JsonElement>($"/api/v1/persons/{biden}");
        Assert.Equal(3, clean.GetProperty("faceCount").GetInt32());
        Assert.Empty(clean.GetProperty("suspectFaces").EnumerateArray());

        var wrong = await (await AddFace(biden, Bodies.Raw(Photos.Stoiber(2)))).Content.ReadFromJsonAsync<JsonElement>();
        var person = await _server.Client.GetFromJsonAsync<JsonElement>($"/api/v1/persons/{biden}");
        var suspect = Assert.Single(person.GetProperty("suspectFaces").EnumerateArray());
        Assert.Equal(wrong.GetProperty("id").GetInt64(), suspect.GetProperty("faceId").GetInt64());
        Assert.Contains("probably someone else", suspect.GetProperty("reason").GetString());
        Assert.InRange(suspect.GetProperty("confidence").GetDouble(), 0, 0.5);
        Assert.Equal(OpenSetOptions.RateOf(Strictness.Lenient), Visage.Enrollment.MislabelCheck.Options.TargetFalseAcceptRate);
    }
}
