using Visage.Cli.Tests.Service;

namespace Visage.Cli.Tests.Nvr;

/// <summary>
/// <c>/api/v1/sightings</c>: listing, "this is X" and "that was not me" on real descriptors, and the unknown sightings
/// grouped. The sightings are written into the service's gallery file as the bridge writes them (the store's own verb).
/// </summary>
public sealed class SightingsApiTests : IAsyncLifetime
{
    private readonly NvrServerFixture _fixture = new(); // a gallery per test: sightings are never deleted through the API
    private VisageServer Server => _fixture.Server;
    private HttpClient Admin => _fixture.Server.Client;

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private Task<long> Seen(string camera, string photo, long? personId = null, DateTime? at = null) => CameraSightings.RecordAsync(Server, camera, photo, personId, at);

    private async Task<long> Person(string name, string photo)
    {
        var id = await Visage.Reliability.Api.CreatePersonAsync(Admin, name);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(photo))).StatusCode);
        return id;
    }

    private async Task<string?> NameOf(string photo)
    {
        var body = await (await Admin.PostAsync("/api/v1/recognize", Bodies.Raw(photo))).Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("faces").EnumerateArray().MaxBy(f => f.GetProperty("box").GetProperty("width").GetDouble()).GetProperty("name").GetString();
    }

    [Fact]
    public async Task List_FiltersAndPages_AndServesThumbnails()
    {
        var lu = await Person("Edward Lu", Photos.Lu(2));
        var old = await Seen("garden", Photos.Lu(3), lu, DateTime.UtcNow.AddHours(-3));
        var door = await Seen("door", Photos.Zidane(1));
        var named = await Seen("door", Photos.Lu(4), lu);

        async Task<long[]> Ids(string query) => [.. (await Admin.GetFromJsonAsync<JsonElement>("/api/v1/sightings" + query))
            .GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetInt64())];
        Assert.Equal([named, door, old], await Ids(""));
        Assert.Equal([named, door], await Ids("?camera=door"));
        Assert.Equal([door], await Ids("?unknown=true"));
        Assert.Equal([named, old], await Ids($"?personId={lu}"));
        Assert.Equal([named, door], await Ids($"?since={Uri.EscapeDataString(DateTime.UtcNow.AddHours(-1).ToString("O"))}"));
        var page = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/sightings?limit=2");
        Assert.Equal(door, page.GetProperty("next").GetInt64());
        Assert.Equal([old], await Ids($"?before={door}"));

        var one = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sightings/{named}");
        Assert.Equal(("Edward Lu", "door"), (one.GetProperty("name").GetString(), one.GetProperty("camera").GetString()));
        var thumbnail = await Admin.GetAsync(one.GetProperty("thumbnail").GetString());
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        await ProblemAssert.IsProblem(await Admin.GetAsync("/api/v1/sightings/987654"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await Admin.GetAsync("/api/v1/sightings?limit=0"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Enroll_ByName_MakesTheStrangerKnown_InOneCall()
    {
        var stranger = await Seen("door", Photos.Zidane(1));
        Assert.Null(await NameOf(Photos.Zidane(2)));

        var response = await Admin.PostAsJsonAsync($"/api/v1/sightings/{stranger}/enroll", new { name = "The Neighbour" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The Neighbour", body.GetProperty("sighting").GetProperty("name").GetString());
        Assert.True(body.GetProperty("created").GetBoolean());

        Assert.Equal("The Neighbour", await NameOf(Photos.Zidane(2)));
        await ProblemAssert.IsProblem(await Admin.PostAsJsonAsync($"/api/v1/sightings/{stranger}/enroll", new { personId = 987654 }), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await Admin.PostAsJsonAsync($"/api/v1/sightings/{stranger}/enroll", new { }), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblem(await Admin.PostAsJsonAsync("/api/v1/sightings/987654/enroll", new { name = "x" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reject_TakesTheNameOff_AndThatFaceIsNoLongerNamedSo()
    {
        var lu = await Person("Edward Lu", Photos.Lu(2));
        await Admin.PostAsync($"/api/v1/persons/{lu}/faces", Bodies.Raw(Photos.Lu(3)));
        Assert.Equal("Edward Lu", await NameOf(Photos.Lu(4)));
        var wrong = await Seen("door", Photos.Lu(4), lu);

        var response = await Admin.PostAsync($"/api/v1/sightings/{wrong}/reject", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, body.GetProperty("sighting").GetProperty("personId").ValueKind);
        Assert.Equal(lu, body.GetProperty("rejectedPersonId").GetInt64());

        Assert.Null(await NameOf(Photos.Lu(4))); // this very face: vetoed for Edward Lu
        Assert.Equal("Edward Lu", await NameOf(Photos.Lu(2))); // his own enrolled face still is him
        await ProblemAssert.IsProblem(await Admin.PostAsync($"/api/v1/sightings/{wrong}/reject", null), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblem(await Admin.PostAsync("/api/v1/sightings/987654/reject", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnknownSightings_AreGroupedIntoProbablePeople()
    {
        var biden = await Person("Joseph Biden", Photos.Biden(2));
        await Admin.PostAsync($"/api/v1/persons/{biden}/faces", Bodies.Raw(Photos.Biden(5)));
        foreach (var photo in new[] { Photos.Zidane(1), Photos.Zidane(2), Photos.Biden(3), Photos.Biden(4), Photos.Stoiber(1) })
            await Seen("door", photo);

        var groups = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/sightings/unknown/clusters");
        var clusters = groups.GetProperty("clusters").EnumerateArray().ToList();
        Assert.Equal(2, clusters.Count);
        Assert.All(clusters, c => Assert.Equal(2, c.GetProperty("sightings").GetArrayLength()));
        var suggestions = clusters.Select(c => c.GetProperty("mergeInto")).ToList();
        Assert.True(suggestions.Count(s => s.ValueKind == JsonValueKind.Object) == 1, groups.ToString());
        Assert.Contains(suggestions, s => s.ValueKind == JsonValueKind.Object && s.GetProperty("personId").GetInt64() == biden);
        Assert.Contains(suggestions, s => s.ValueKind == JsonValueKind.Null); // Zidane: someone new
        Assert.Equal(1, groups.GetProperty("unclustered").GetArrayLength());
    }
}
