using Visage.Cli.Tests.Service;
using static Visage.Cli.Tests.Nvr.NvrServerFixture;

namespace Visage.Cli.Tests.Nvr;

/// <summary>
/// DeepStack's face API (CodeProject.AI's too) with the request shapes of its clients (contract 2.2, 3.4): Double Take's
/// deepstack.js (multipart <c>image</c>, form <c>api_key</c>, no <c>min_confidence</c>) and Home Assistant's
/// deepstack-python (<c>image</c>, <c>api_key</c>, <c>min_confidence</c>), on the shared photos.
/// </summary>
public sealed class DeepStackApiTests(NvrServerFixture fixture) : IClassFixture<NvrServerFixture>, IAsyncLifetime
{
    private readonly HttpClient _client = fixture.Server.NewClient(null);
    private const string Key = VisageServer.AdminKey;
    private string _recognizeKey = "";

    public async Task InitializeAsync()
    {
        _recognizeKey = await fixture.Server.CreateKeyAsync("recognize", "deepstack");
        var (_, list) = await Post("/v1/vision/face/list", new MultipartFormDataContent { { new StringContent(Key), "api_key" } });
        foreach (var userid in list.GetProperty("faces").EnumerateArray())
            await Post("/v1/vision/face/delete", Form(("userid", userid.GetString()!), ("api_key", Key)));
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    private Task<(HttpStatusCode, JsonElement)> Post(string path, HttpContent content) => Send(_client, HttpMethod.Post, path, content);

    private static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }

    // deepstack.js: formData.append('image', stream of a temp .jpg); api_key only when one is configured.
    private static MultipartFormDataContent DoubleTake(string photo, string key) => File("image", photo, "9f2c.jpg", ("api_key", key));

    // deepstack-python: requests.post(url, files={"image": bytes}, data={"api_key": ..., "min_confidence": ...}).
    private static MultipartFormDataContent HomeAssistant(string photo, string key, string minConfidence) =>
        File("image", photo, "image", ("api_key", key), ("min_confidence", minConfidence));

    private async Task Register(string userid, params string[] photos)
    {
        foreach (var photo in photos)
        {
            var (status, body) = await Post("/v1/vision/face/register", File("image", photo, null, ("userid", userid), ("api_key", Key)));
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            Assert.True(body.GetProperty("success").GetBoolean());
        }
    }

    [Fact]
    public async Task Recognize_NamesTheRegistered_AndCallsTheStrangerUnknown()
    {
        await Register("edward", Photos.Lu(2));
        var (status, known) = await Post("/v1/vision/face/recognize", DoubleTake(Photos.Lu(4), _recognizeKey));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(known.GetProperty("success").GetBoolean());
        var face = known.GetProperty("predictions").EnumerateArray().Single();
        Assert.Equal("edward", face.GetProperty("userid").GetString());
        Assert.InRange(face.GetProperty("confidence").GetDouble(), 0.67, 1);
        Assert.True(face.GetProperty("x_max").GetInt32() > face.GetProperty("x_min").GetInt32());
        Assert.True(face.GetProperty("y_max").GetInt32() > face.GetProperty("y_min").GetInt32());

        var (_, stranger) = await Post("/v1/vision/face/recognize", HomeAssistant(Photos.Stoiber(2), _recognizeKey, "0.4"));
        var unknown = stranger.GetProperty("predictions").EnumerateArray().Single();
        Assert.Equal("unknown", unknown.GetProperty("userid").GetString());
        Assert.Equal(0, unknown.GetProperty("confidence").GetDouble());

        // The confidence is the decision's calibrated one: a face just inside the bar is named, less surely (Michelle
        // Pfeiffer's photos are 0.58 apart, inside the bar of a one-person gallery), and a client's bar above that
        // confidence makes it unknown (its own policy on top).
        await Post("/v1/vision/face/delete", Form(("userid", "edward"), ("api_key", Key)));
        await Register("michelle", Photos.Face("Michelle_Pfeiffer", 1));
        var (_, unsure) = await Post("/v1/vision/face/recognize", HomeAssistant(Photos.Face("Michelle_Pfeiffer", 2), _recognizeKey, "0.4"));
        var named = unsure.GetProperty("predictions").EnumerateArray().Single(p => p.GetProperty("userid").GetString() != "unknown");
        Assert.Equal("michelle", named.GetProperty("userid").GetString());
        var confidence = named.GetProperty("confidence").GetDouble();
        Assert.InRange(confidence, 0.4, 0.95);
        var (_, strict) = await Post("/v1/vision/face/recognize", HomeAssistant(Photos.Face("Michelle_Pfeiffer", 2), _recognizeKey, $"{confidence + 0.01:0.00}"));
        Assert.All(strict.GetProperty("predictions").EnumerateArray(), p => Assert.Equal("unknown", p.GetProperty("userid").GetString()));
    }

    [Fact]
    public async Task NoFace_IsSuccessWithNoPredictions_AndSeveralFaces_AreEachAnswered()
    {
        var (status, none) = await Post("/v1/vision/face/recognize", DoubleTake(Photos.Landscape, _recognizeKey));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(none.GetProperty("success").GetBoolean());
        Assert.Equal(0, none.GetProperty("predictions").GetArrayLength());

        var (_, group) = await Post("/v1/vision/face/recognize", DoubleTake(Photos.ThreeFaces, _recognizeKey));
        Assert.Equal(3, group.GetProperty("predictions").GetArrayLength());
        var (_, detected) = await Post("/v1/vision/face", HomeAssistant(Photos.ThreeFaces, _recognizeKey, "0.3"));
        Assert.Equal(3, detected.GetProperty("predictions").GetArrayLength());
        Assert.All(detected.GetProperty("predictions").EnumerateArray(), p => Assert.False(p.TryGetProperty("userid", out _)));
        var (slash, _) = await Post("/v1/vision/face/", HomeAssistant(Photos.ThreeFaces, _recognizeKey, "0.3"));
        Assert.Equal(HttpStatusCode.OK, slash);
    }

    [Fact]
    public async Task Register_AddsPhotos_InsteadOfReplacing_ListAndDelete()
    {
        var (_, first) = await Post("/v1/vision/face/register", File("image", Photos.Lu(2), null, ("userid", "edward"), ("api_key", Key)));
        Assert.Equal("face added", first.GetProperty("message").GetString());
        var (_, second) = await Post("/v1/vision/face/register", File("image", Photos.Lu(3), null, ("userid", "edward"), ("api_key", Key)));
        Assert.Equal("face updated", second.GetProperty("message").GetString());
        var persons = await fixture.Server.Client.GetFromJsonAsync<JsonElement>("/api/v1/persons");
        Assert.Equal(2, persons.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "edward").GetProperty("faceCount").GetInt32());

        var (_, list) = await Post("/v1/vision/face/list", Form(("api_key", Key)));
        Assert.Equal(["edward"], list.GetProperty("faces").EnumerateArray().Select(f => f.GetString()));
        var (noFace, error) = await Post("/v1/vision/face/register", File("image", Photos.Landscape, null, ("userid", "edward"), ("api_key", Key)));
        Assert.Equal((HttpStatusCode.BadRequest, false), (noFace, error.GetProperty("success").GetBoolean()));
        Assert.Equal("no face detected", error.GetProperty("error").GetString());

        var (_, deleted) = await Post("/v1/vision/face/delete", Form(("userid", "edward"), ("api_key", Key)));
        Assert.True(deleted.GetProperty("success").GetBoolean());
        var (_, empty) = await Post("/v1/vision/face/list", Form(("api_key", Key)));
        Assert.Equal(0, empty.GetProperty("faces").GetArrayLength());
    }

    [Fact]
    public async Task Match_GivesTheSimilarityOfTwoPhotos()
    {
        var same = File("image1", Photos.Lu(2), null, ("api_key", _recognizeKey));
        same.Add(new ByteArrayContent(System.IO.File.ReadAllBytes(Photos.Lu(6))), "image2", "b.jpg");
        var (_, match) = await Post("/v1/vision/face/match", same);
        Assert.InRange(match.GetProperty("similarity").GetDouble(), 0.5, 1);
        var other = File("image1", Photos.Lu(2), null, ("api_key", _recognizeKey));
        other.Add(new ByteArrayContent(System.IO.File.ReadAllBytes(Photos.Stoiber(2))), "image2", "b.jpg");
        var (_, mismatch) = await Post("/v1/vision/face/match", other);
        Assert.InRange(mismatch.GetProperty("similarity").GetDouble(), 0, 0.5);
    }

    [Fact]
    public async Task KeysAndBadValues_GetDeepStacksErrors()
    {
        async Task<(HttpStatusCode, string)> Error(string path, HttpContent content)
        {
            var (status, body) = await Post(path, content);
            Assert.False(body.GetProperty("success").GetBoolean());
            return (status, body.GetProperty("error").GetString()!);
        }
        Assert.Equal((HttpStatusCode.Unauthorized, "Incorrect api key"), await Error("/v1/vision/face/recognize", File("image", Photos.Lu(2))));
        Assert.Equal((HttpStatusCode.Unauthorized, "Incorrect api key"), await Error("/v1/vision/face/recognize", DoubleTake(Photos.Lu(2), "wrong")));
        Assert.Equal((HttpStatusCode.Unauthorized, "Incorrect api key"), await Error("/v1/vision/face/register", File("image", Photos.Lu(2), null, ("userid", "x"), ("api_key", _recognizeKey))));
        Assert.Equal((HttpStatusCode.BadRequest, "Invalid value for min_confidence"), await Error("/v1/vision/face/recognize", HomeAssistant(Photos.Lu(2), _recognizeKey, "high")));
        Assert.Equal((HttpStatusCode.BadRequest, "No valid image file found"), await Error("/v1/vision/face/recognize", Form(("api_key", _recognizeKey))));
        var garbage = Form(("api_key", _recognizeKey));
        garbage.Add(new ByteArrayContent("plain text"u8.ToArray()), "image", "x.jpg");
        Assert.Equal((HttpStatusCode.BadRequest, "No valid image file found"), await Error("/v1/vision/face/recognize", garbage));

        // The key may also come in the X-Api-Key header (CodeProject.AI users behind a proxy).
        using var header = fixture.Server.NewClient(_recognizeKey);
        using var response = await header.PostAsync("/v1/vision/face/recognize", File("image", Photos.Lu(2)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
