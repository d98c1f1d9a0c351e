using System.Net.Http.Headers;
using Visage.Cli.Tests.Service;
using static Visage.Cli.Tests.Nvr.NvrServerFixture;

namespace Visage.Cli.Tests.Nvr;

/// <summary>
/// CompreFace's recognition, detection and verification services as their clients call them (contract 1.7, 2.2, 6.1),
/// on the shared photos: Double Take's exact requests, the Python SDK's URL quirks, the error codes clients branch on.
/// </summary>
public sealed class CompreFaceApiTests(NvrServerFixture fixture) : IClassFixture<NvrServerFixture>, IAsyncLifetime
{
    private readonly HttpClient _client = fixture.Server.NewClient(null);
    private string _recognition = "", _detection = "", _verification = "";

    public async Task InitializeAsync()
    {
        async Task<string> Key(string service)
        {
            var response = await fixture.Server.Client.PostAsJsonAsync("/api/v1/keys", new { name = "cf " + service, compreface = service });
            response.EnsureSuccessStatusCode();
            var key = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
            Assert.True(Guid.TryParse(key, out _), key);
            return key;
        }
        (_recognition, _detection, _verification) = (await Key("recognition"), await Key("detection"), await Key("verification"));
        await Send(_client, HttpMethod.Delete, "/api/v1/recognition/subjects", key: _recognition); // each test starts from an empty collection
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    private Task<(HttpStatusCode, JsonElement)> AddFace(string subject, string photo) =>
        Send(_client, HttpMethod.Post, $"/api/v1/recognition/faces?subject={Uri.EscapeDataString(subject)}", File("file", photo), _recognition);

    // Double Take's recognize (compreface.js): face_plugins "undefined" when not configured, det_prob_threshold, multipart file from a .jpg.
    private Task<(HttpStatusCode, JsonElement)> DoubleTakeRecognize(string photo) =>
        Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize?face_plugins=undefined&det_prob_threshold=0.8", File("file", photo, "a1b2c3.jpg"), _recognition);

    [Fact]
    public async Task Recognize_AsDoubleTakeSendsIt_NamesTheEnrolled_AndRanksAStrangerBelowHalf()
    {
        Assert.Equal(HttpStatusCode.Created, (await AddFace("Edward Lu", Photos.Lu(2))).Item1);
        Assert.Equal(HttpStatusCode.Created, (await AddFace("Joseph Biden", Photos.Biden(2))).Item1);

        var (status, known) = await DoubleTakeRecognize(Photos.Lu(4));
        Assert.True(status == HttpStatusCode.OK, known.ToString());
        var face = known.GetProperty("result").EnumerateArray().Single();
        var best = face.GetProperty("subjects")[0];
        Assert.Equal("Edward Lu", best.GetProperty("subject").GetString());
        Assert.InRange(best.GetProperty("similarity").GetDouble(), 0.5, 1);
        var box = face.GetProperty("box");
        foreach (var corner in new[] { "x_min", "y_min", "x_max", "y_max" }) Assert.Equal(JsonValueKind.Number, box.GetProperty(corner).ValueKind);
        Assert.True(box.GetProperty("x_max").TryGetInt32(out var xMax) && xMax > box.GetProperty("x_min").GetInt32());
        Assert.InRange(box.GetProperty("probability").GetDouble(), 0.5, 1);
        Assert.False(face.TryGetProperty("landmarks", out _)); // "undefined" is not a plugin: ignored
        Assert.False(known.TryGetProperty("plugins_versions", out _));

        var (_, stranger) = await DoubleTakeRecognize(Photos.Stoiber(2));
        var subjects = stranger.GetProperty("result")[0].GetProperty("subjects");
        Assert.All(subjects.EnumerateArray(), s => Assert.InRange(s.GetProperty("similarity").GetDouble(), 0, 0.4)); // under Double Take's unknown bar (40)
    }

    [Fact]
    public async Task Recognize_WithTheSdksParameters_ListsSubjectsBySimilarity_AndAnswersThePlugins()
    {
        await AddFace("Edward Lu", Photos.Lu(2));
        await AddFace("Joseph Biden", Photos.Biden(2));
        // compreface-python-sdk: "?" then "&key=value" for each option, Python's True.
        var (status, body) = await Send(_client, HttpMethod.Post,
            "/api/v1/recognition/recognize?&limit=0&det_prob_threshold=0.8&prediction_count=2&face_plugins=landmarks,calculator,age&status=True",
            File("file", Photos.Lu(3), "image.jpg"), _recognition);
        Assert.Equal(HttpStatusCode.OK, status);
        var face = body.GetProperty("result")[0];
        var similarities = face.GetProperty("subjects").EnumerateArray().Select(s => s.GetProperty("similarity").GetDouble()).ToList();
        Assert.Equal(2, similarities.Count);
        Assert.Equal(similarities.OrderDescending(), similarities);
        Assert.Equal("Edward Lu", face.GetProperty("subjects")[0].GetProperty("subject").GetString());
        Assert.Equal(5, face.GetProperty("landmarks").GetArrayLength());
        Assert.Equal(128, face.GetProperty("embedding").GetArrayLength());
        Assert.False(face.TryGetProperty("age", out _)); // no age model here: ignored like an unknown plugin
        Assert.True(face.GetProperty("execution_time").GetProperty("detector").GetDouble() > 0);
        Assert.StartsWith("face_recognition_model", body.GetProperty("plugins_versions").GetProperty("calculator").GetString());
    }

    [Fact]
    public async Task Recognize_NoFace_IsCode28_AndSeveralFaces_AreAllAnswered_BiggestFirst_UpToLimit()
    {
        var (status, none) = await DoubleTakeRecognize(Photos.Landscape);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(28, none.GetProperty("code").GetInt32());
        Assert.Equal("No face is found in the given image", none.GetProperty("message").GetString());

        var (_, group) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize", File("file", Photos.ThreeFaces), _recognition);
        var areas = group.GetProperty("result").EnumerateArray().Select(Area).ToList();
        Assert.Equal(3, areas.Count);
        Assert.Equal(areas.OrderDescending(), areas);
        Assert.All(group.GetProperty("result").EnumerateArray(), f => Assert.Equal(0, f.GetProperty("subjects").GetArrayLength())); // empty collection

        var (_, limited) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize?limit=1", File("file", Photos.ThreeFaces), _recognition);
        Assert.Equal(areas[0], Area(limited.GetProperty("result").EnumerateArray().Single()));

        static int Area(JsonElement f) => (f.GetProperty("box").GetProperty("x_max").GetInt32() - f.GetProperty("box").GetProperty("x_min").GetInt32())
            * (f.GetProperty("box").GetProperty("y_max").GetInt32() - f.GetProperty("box").GetProperty("y_min").GetInt32());
    }

    [Fact]
    public async Task DoubleTakesHealthCheck_AnswersOk()
    {
        // Double Take's detector test posts its bundled lenna.jpg with det_prob_threshold=0.8 and shows the status;
        // lenna.jpg is not available offline, so a shared portrait stands in for it.
        var (status, _) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize?det_prob_threshold=0.8", File("file", Photos.Obama(1), "lenna.jpg"), _recognition);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Base64Json_AndAFileWithoutExtension_AreTaken_AMissingPartIsCode34()
    {
        await AddFace("Edward Lu", Photos.Lu(2));
        var json = JsonContent.Create(new { file = Convert.ToBase64String(System.IO.File.ReadAllBytes(Photos.Lu(5))) });
        var (status, body) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize", json, _recognition);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Edward Lu", body.GetProperty("result")[0].GetProperty("subjects")[0].GetProperty("subject").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize", File("file", Photos.Lu(5), "snapshot"), _recognition)).Item1);
        var (bad, error) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize", JsonContent.Create(new { file = "not base64!" }), _recognition);
        Assert.Equal((HttpStatusCode.BadRequest, 21), (bad, error.GetProperty("code").GetInt32()));
        var (missing, part) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize", File("image", Photos.Lu(5)), _recognition);
        Assert.Equal((HttpStatusCode.BadRequest, 34), (missing, part.GetProperty("code").GetInt32()));
    }

    [Fact]
    public async Task Keys_AreCheckedTheWayCompreFaceDoes_AndBoundToTheirService()
    {
        async Task<(HttpStatusCode, int)> Code(string path, string? key)
        {
            var (status, body) = await Send(_client, HttpMethod.Post, path, File("file", Photos.Lu(2)), key);
            return (status, body.GetProperty("code").GetInt32());
        }
        Assert.Equal((HttpStatusCode.BadRequest, 20), await Code("/api/v1/recognition/recognize", null));
        Assert.Equal((HttpStatusCode.BadRequest, 26), await Code("/api/v1/recognition/recognize", "not-a-uuid"));
        Assert.Equal((HttpStatusCode.NotFound, 10), await Code("/api/v1/recognition/recognize", "00000000-0000-0000-0000-000000000002")); // CompreFace's demo key
        Assert.Equal((HttpStatusCode.NotFound, 10), await Code("/api/v1/recognition/recognize", _detection)); // a detection key on recognition
        Assert.Equal((HttpStatusCode.NotFound, 10), await Code("/api/v1/detection/detect", _recognition));
        Assert.Equal(HttpStatusCode.OK, (await Send(_client, HttpMethod.Post, "/api/v1/detection/detect", File("file", Photos.Lu(2)), _detection)).Item1);

        // Visage's own keys: admin everything; recognize may analyze but not touch the collection.
        var recognizeKey = await fixture.Server.CreateKeyAsync("recognize", "cf visage");
        Assert.Equal(HttpStatusCode.OK, (await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize", File("file", Photos.Lu(2)), recognizeKey)).Item1);
        Assert.Equal((HttpStatusCode.Forbidden, 0), await Code("/api/v1/recognition/faces?subject=x", recognizeKey));
        Assert.Equal(HttpStatusCode.Created, (await Send(_client, HttpMethod.Post, "/api/v1/recognition/faces?subject=Ed", File("file", Photos.Lu(2)), VisageServer.AdminKey)).Item1);

        // A CompreFace key opens nothing of Visage's own API.
        using var compreface = fixture.Server.NewClient(_recognition);
        Assert.Equal(HttpStatusCode.Forbidden, (await compreface.PostAsync("/api/v1/recognize", Bodies.Raw(Photos.Lu(2)))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await compreface.GetAsync("/api/v1/persons")).StatusCode);
    }

    [Fact]
    public async Task AddFace_NeedsOneFace_AndMakesTheSubjectOnlyOnSuccess()
    {
        var (none, noFace) = await AddFace("Nobody", Photos.Landscape);
        Assert.Equal((HttpStatusCode.BadRequest, 28), (none, noFace.GetProperty("code").GetInt32()));
        var (several, group) = await AddFace("Group", Photos.ThreeFaces);
        Assert.Equal((HttpStatusCode.BadRequest, 31), (several, group.GetProperty("code").GetInt32()));
        Assert.Equal("More than one face in the source image", group.GetProperty("message").GetString());
        var (_, subjects) = await Send(_client, HttpMethod.Get, "/api/v1/recognition/subjects", key: _recognition);
        Assert.Equal(0, subjects.GetProperty("subjects").GetArrayLength());

        // The Python SDK appends the subject unencoded; its HTTP library turns the space into %20.
        var (created, added) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/faces?subject=Jean%20Dupont&det_prob_threshold=0.8", File("file", Photos.Lu(2)), _recognition);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("Jean Dupont", added.GetProperty("subject").GetString());
        Assert.True(Guid.TryParse(added.GetProperty("image_id").GetString(), out _));
        // The JavaScript SDK joins options with a second '?' when there is no limit.
        var (sdk, joined) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/faces?subject=Jean Dupont?det_prob_threshold=0.8", File("file", Photos.Lu(3)), _recognition);
        Assert.Equal(HttpStatusCode.Created, sdk);
        Assert.Equal("Jean Dupont", joined.GetProperty("subject").GetString());
        var (_, missing) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/faces", File("file", Photos.Lu(3)), _recognition);
        Assert.Equal(33, missing.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task TheFaceCollection_ListsDeletesAndServesImages()
    {
        var (_, a) = await AddFace("Edward Lu", Photos.Lu(2));
        await AddFace("Edward Lu", Photos.Lu(3));
        var (_, c) = await AddFace("Joseph Biden", Photos.Biden(2));
        await AddFace("Joseph Biden", Photos.Biden(3));

        var (_, all) = await Send(_client, HttpMethod.Get, "/api/v1/recognition/faces?page=0&size=3", key: _recognition);
        Assert.Equal((3, 4, 2), (all.GetProperty("faces").GetArrayLength(), all.GetProperty("total_elements").GetInt32(), all.GetProperty("total_pages").GetInt32()));
        var (_, lu) = await Send(_client, HttpMethod.Get, "/api/v1/recognition/faces?subject=Edward%20Lu", key: _recognition);
        Assert.Equal(2, lu.GetProperty("faces").GetArrayLength());

        var imageId = a.GetProperty("image_id").GetString()!;
        using (var img = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/recognition/faces/{imageId}/img"))
        {
            img.Headers.Add("x-api-key", _recognition);
            using var response = await _client.SendAsync(img);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([0xFF, 0xD8], (await response.Content.ReadAsByteArrayAsync())[..2]);
        }
        var (verified, verify) = await Send(_client, HttpMethod.Post, $"/api/v1/recognition/faces/{imageId}/verify", File("file", Photos.Lu(4)), _recognition);
        Assert.Equal(HttpStatusCode.OK, verified);
        Assert.Equal("Edward Lu", verify.GetProperty("result")[0].GetProperty("subject").GetString());
        Assert.InRange(verify.GetProperty("result")[0].GetProperty("similarity").GetDouble(), 0.5, 1);

        var (deleted, one) = await Send(_client, HttpMethod.Delete, $"/api/v1/recognition/faces/{imageId}", key: _recognition);
        Assert.Equal((HttpStatusCode.OK, "Edward Lu"), (deleted, one.GetProperty("subject").GetString()));
        var (gone, again) = await Send(_client, HttpMethod.Delete, $"/api/v1/recognition/faces/{imageId}", key: _recognition);
        Assert.Equal((HttpStatusCode.NotFound, 44), (gone, again.GetProperty("code").GetInt32()));

        var list = new StringContent($"[\"{c.GetProperty("image_id").GetString()}\", \"00000000-0000-4000-8000-0000000fffff\"]", null, "application/json");
        var (_, batch) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/faces/delete", list, _recognition);
        Assert.Equal("Joseph Biden", batch.EnumerateArray().Single().GetProperty("subject").GetString());

        var (_, bySubject) = await Send(_client, HttpMethod.Delete, "/api/v1/recognition/faces?subject=Joseph Biden", key: _recognition);
        Assert.Equal(1, bySubject.GetProperty("deleted").GetInt32());
        var (_, subjects) = await Send(_client, HttpMethod.Get, "/api/v1/recognition/subjects", key: _recognition);
        Assert.Equal(["Edward Lu", "Joseph Biden"], subjects.GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Subjects_AddRenameMergeDelete()
    {
        var (created, _) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/subjects", JsonContent.Create(new { subject = "Ann" }), _recognition);
        Assert.Equal(HttpStatusCode.Created, created);
        var (_, taken) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/subjects", JsonContent.Create(new { subject = "Ann" }), _recognition);
        Assert.Equal(43, taken.GetProperty("code").GetInt32());
        var (_, invalid) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/subjects", JsonContent.Create(new { subject = "a/b" }), _recognition);
        Assert.Equal(26, invalid.GetProperty("code").GetInt32());

        await AddFace("Edward Lu", Photos.Lu(2));
        await AddFace("Ed", Photos.Lu(3));
        var (_, renamed) = await Send(_client, HttpMethod.Put, "/api/v1/recognition/subjects/Ann", JsonContent.Create(new { subject = "Anna" }), _recognition);
        Assert.True(renamed.GetProperty("updated").GetBoolean());
        var (_, merged) = await Send(_client, HttpMethod.Put, "/api/v1/recognition/subjects/Ed", JsonContent.Create(new { subject = "Edward Lu" }), _recognition);
        Assert.True(merged.GetProperty("updated").GetBoolean());
        var (_, faces) = await Send(_client, HttpMethod.Get, "/api/v1/recognition/faces?subject=Edward Lu", key: _recognition);
        Assert.Equal(2, faces.GetProperty("faces").GetArrayLength());

        var (_, deleted) = await Send(_client, HttpMethod.Delete, "/api/v1/recognition/subjects/Anna", key: _recognition);
        Assert.Equal("Anna", deleted.GetProperty("subject").GetString());
        var (missing, none) = await Send(_client, HttpMethod.Delete, "/api/v1/recognition/subjects/Anna", key: _recognition);
        Assert.Equal((HttpStatusCode.NotFound, 42), (missing, none.GetProperty("code").GetInt32()));
        var (_, subjects) = await Send(_client, HttpMethod.Get, "/api/v1/recognition/subjects", key: _recognition);
        Assert.Equal(["Edward Lu"], subjects.GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Verification_ComparesTheSourceFaceWithEveryTargetFace()
    {
        var form = new MultipartFormDataContent();
        foreach (var (field, path) in new[] { ("source_image", Photos.Lu(2)), ("target_image", Photos.Lu(6)) })
            form.Add(new ByteArrayContent(System.IO.File.ReadAllBytes(path)) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, field, Path.GetFileName(path));
        var (status, body) = await Send(_client, HttpMethod.Post, "/api/v1/verification/verify", form, _verification);
        Assert.Equal(HttpStatusCode.OK, status);
        var result = body.GetProperty("result")[0];
        Assert.True(result.GetProperty("source_image_face").GetProperty("box").GetProperty("x_max").GetInt32() > 0);
        Assert.InRange(result.GetProperty("face_matches")[0].GetProperty("similarity").GetDouble(), 0.5, 1);

        var json = JsonContent.Create(new
        {
            source_image = Convert.ToBase64String(System.IO.File.ReadAllBytes(Photos.Lu(2))),
            target_image = Convert.ToBase64String(System.IO.File.ReadAllBytes(Photos.Stoiber(2))),
        });
        var (_, stranger) = await Send(_client, HttpMethod.Post, "/api/v1/verification/verify", json, _verification);
        Assert.InRange(stranger.GetProperty("result")[0].GetProperty("face_matches")[0].GetProperty("similarity").GetDouble(), 0, 0.5);

        var group = new MultipartFormDataContent();
        foreach (var (field, path) in new[] { ("source_image", Photos.ThreeFaces), ("target_image", Photos.Lu(6)) })
            group.Add(new ByteArrayContent(System.IO.File.ReadAllBytes(path)), field, "x.jpg");
        var (_, several) = await Send(_client, HttpMethod.Post, "/api/v1/verification/verify", group, _verification);
        Assert.Equal(31, several.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task BadValues_AndAnUploadOverTheLimit_GetTheirCodes()
    {
        var (_, limit) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize?limit=-1", File("file", Photos.Lu(2)), _recognition);
        Assert.Equal(26, limit.GetProperty("code").GetInt32());
        var (_, count) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize?prediction_count=0", File("file", Photos.Lu(2)), _recognition);
        Assert.Equal(26, count.GetProperty("code").GetInt32());
        var (_, threshold) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize?det_prob_threshold=1.5", File("file", Photos.Lu(2)), _recognition);
        Assert.Equal(26, threshold.GetProperty("code").GetInt32());
        var (notImage, garbage) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize",
            new MultipartFormDataContent { { new ByteArrayContent("not an image at all"u8.ToArray()), "file", "x.jpg" } }, _recognition);
        Assert.Equal((HttpStatusCode.BadRequest, 28), (notImage, garbage.GetProperty("code").GetInt32()));

        var big = new MultipartFormDataContent { { new ByteArrayContent(new byte[MaxBodyBytes + 1024]), "file", "big.jpg" } };
        var (tooLarge, error) = await Send(_client, HttpMethod.Post, "/api/v1/recognition/recognize", big, _recognition, expectContinue: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge);
        Assert.True(error.TryGetProperty("code", out _) && error.TryGetProperty("message", out _), error.ToString());
    }
}
