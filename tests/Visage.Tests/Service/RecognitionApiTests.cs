using Visage.Matching;
namespace Visage.Cli.Tests.Service;

/// <summary>detect, embed, recognize and verify on real photos, with images sent in each of the three forms.</summary>
[Collection(ServiceCollection.Name)]
public sealed class RecognitionApiTests(ServiceFixture fixture)
{
    private VisageServer Server => fixture.Server;

    private async Task<long> Enroll(string name, params string[] photos)
    {
        var created = await Server.Client.PostAsJsonAsync("/api/v1/persons", new { name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        foreach (var photo in photos)
            Assert.Equal(HttpStatusCode.Created, (await Server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(photo))).StatusCode);
        return id;
    }

    public static TheoryData<string> Forms => new() { "raw", "multipart", "json" };

    private static HttpContent Body(string form, string path) => form switch
    {
        "raw" => Bodies.Raw(path),
        "multipart" => Bodies.Multipart(("image", path)),
        _ => Bodies.DataUrls(("image", path)),
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Detect_FindsTheFace_InEveryForm(string form)
    {
        var response = await Server.Client.PostAsync("/api/v1/detect", Body(form, Photos.Lu(2)));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(250, json.GetProperty("width").GetInt32());
        var face = Assert.Single(json.GetProperty("faces").EnumerateArray());
        Assert.InRange(face.GetProperty("score").GetSingle(), 0.5f, 1f);
        Assert.Equal(68, face.GetProperty("landmarks").GetArrayLength());
        Assert.InRange(face.GetProperty("box").GetProperty("width").GetDouble(), 60, 200);
    }

    [Fact]
    public async Task Embed_Returns128Values_AndTheModelId()
    {
        var json = await (await Server.Client.PostAsync("/api/v1/embed", Bodies.Raw(Photos.Lu(3)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("face_recognition_model", json.GetProperty("modelId").GetString());
        Assert.Equal(128, Assert.Single(json.GetProperty("faces").EnumerateArray()).GetProperty("embedding").GetArrayLength());
    }

    [Fact]
    public async Task Recognize_NamesTheEnrolledPerson_AndCallsAStrangerUnknown_InEveryMode()
    {
        var id = await Enroll("Obama (recognize test)", Photos.Obama(1), Photos.Obama(2));
        foreach (var mode in new[] { "openset", "nearest", "knn", "centroid" })
        {
            var known = await (await Server.Client.PostAsync($"/api/v1/recognize?mode={mode}", Bodies.DataUrls(("image", Photos.Obama(3)))))
                .Content.ReadFromJsonAsync<JsonElement>();
            var face = Assert.Single(known.GetProperty("faces").EnumerateArray());
            Assert.Equal(mode, known.GetProperty("mode").GetString());
            Assert.Equal(id, face.GetProperty("personId").GetInt64());
            Assert.Equal("Obama (recognize test)", face.GetProperty("name").GetString());
            Assert.InRange(face.GetProperty("distance").GetSingle(), 0, face.GetProperty("threshold").GetSingle());
            Assert.InRange(face.GetProperty("confidence").GetDouble(), 0.5, 1);
        }

        // The default (open set): unknown when the nearest person's mean is beyond the bar the gallery sets for them.
        var stranger = await (await Server.Client.PostAsync("/api/v1/recognize", Bodies.Multipart(("image", Photos.Stoiber(1)))))
            .Content.ReadFromJsonAsync<JsonElement>();
        var unknown = Assert.Single(stranger.GetProperty("faces").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("personId").ValueKind);
        Assert.True(unknown.GetProperty("distance").GetSingle() >= unknown.GetProperty("threshold").GetSingle());
        Assert.True(unknown.GetProperty("distance").GetSingle() >= MatchingOptions.DefaultThreshold);

        // A threshold above every distance accepts the stranger as the nearest person: the caller's policy.
        var lax = await (await Server.Client.PostAsync("/api/v1/recognize?threshold=5", Bodies.Raw(Photos.Stoiber(1)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.String, lax.GetProperty("faces")[0].GetProperty("name").ValueKind);
    }

    [Fact]
    public async Task Recognize_MaxFaces_KeepsTheBestDetections()
    {
        var all = await (await Server.Client.PostAsync("/api/v1/recognize", Bodies.Raw(Photos.ThreeFaces))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, all.GetProperty("faces").GetArrayLength());
        var two = await (await Server.Client.PostAsync("/api/v1/recognize?maxFaces=2", Bodies.Raw(Photos.ThreeFaces))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, two.GetProperty("faces").GetArrayLength());
        await ProblemAssert.IsProblem(await Server.Client.PostAsync("/api/v1/recognize?mode=best", Bodies.Raw(Photos.Lu(2))), HttpStatusCode.BadRequest);
    }

    private static readonly ThresholdCalibration Verification = ThresholdCalibration.For(DistanceMetric.Euclidean, ThresholdUse.Verification);

    [Fact]
    public async Task Verify_TwoImages_And_ImageAgainstAPerson()
    {
        var same = await (await Server.Client.PostAsync("/api/v1/verify", Bodies.Multipart(("image1", Photos.Lu(2)), ("image2", Photos.Lu(3)))))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(same.GetProperty("same").GetBoolean());
        Assert.Equal(Verification.Threshold, same.GetProperty("threshold").GetSingle());

        var different = await (await Server.Client.PostAsync("/api/v1/verify", Bodies.DataUrls(("image1", Photos.Lu(2)), ("image2", Photos.Obama(1)))))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(different.GetProperty("same").GetBoolean());
        Assert.True(different.GetProperty("distance").GetSingle() >= Verification.Threshold);

        var id = await Enroll("Lu (verify test)", Photos.Lu(5));
        var byPerson = await (await Server.Client.PostAsync($"/api/v1/verify?personId={id}", Bodies.Raw(Photos.Lu(6)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(byPerson.GetProperty("same").GetBoolean());
        Assert.Equal("Lu (verify test)", byPerson.GetProperty("name").GetString());
        await ProblemAssert.IsProblem(await Server.Client.PostAsync("/api/v1/verify?personId=999999", Bodies.Raw(Photos.Lu(6))), HttpStatusCode.NotFound);
    }
}
