namespace Visage.Cli.Tests.Service;

/// <summary><c>POST /api/v1/cluster</c> on real photos: two people's photos come back as two groups, one merged into the enrolled person.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ClusterApiTests(ServiceFixture fixture)
{
    private VisageServer Server => fixture.Server;

    [Fact]
    public async Task Photos_of_two_people_form_two_groups_and_the_enrolled_one_is_suggested()
    {
        var created = await (await Server.Client.PostAsJsonAsync("/api/v1/persons", new { name = "Stoiber (cluster test)" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Created, (await Server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Stoiber(1)))).StatusCode);

        var photos = new[] { ("a", Photos.Stoiber(2)), ("b", Photos.Zidane(1)), ("c", Photos.Stoiber(4)), ("d", Photos.Zidane(2)), ("e", Photos.Stoiber(5)) };
        var response = await Server.Client.PostAsync("/api/v1/cluster", Bodies.Multipart(photos));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var groups = json.GetProperty("clusters").EnumerateArray()
            .Select(c => (Images: c.GetProperty("faces").EnumerateArray().Select(f => f.GetProperty("image").GetInt32()).Order().ToArray(), Merge: c.GetProperty("mergeInto")))
            .ToList();
        var stoiber = Assert.Single(groups, g => g.Images.SequenceEqual([0, 2, 4]));
        Assert.Equal(id, stoiber.Merge.GetProperty("personId").GetInt64());
        var zidane = Assert.Single(groups, g => g.Images.SequenceEqual([1, 3]));
        Assert.Equal(JsonValueKind.Null, zidane.Merge.ValueKind);
    }

    [Fact]
    public async Task A_bad_algorithm_or_no_photo_is_a_400_problem()
    {
        await ProblemAssert.IsProblem(await Server.Client.PostAsync("/api/v1/cluster?algorithm=kmeans", Bodies.Raw(Photos.Lu(2))), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblem(await Server.Client.PostAsync("/api/v1/cluster", new ByteArrayContent([]) { Headers = { ContentType = new("image/jpeg") } }), HttpStatusCode.BadRequest);
    }
}
