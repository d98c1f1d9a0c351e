using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Cli.Tests.Service;

/// <summary>Persons and faces through the API, checked against the database file itself.</summary>
[Collection(ServiceCollection.Name)]
public sealed class GalleryApiTests(ServiceFixture fixture)
{
    private VisageServer Server => fixture.Server;

    private async Task<JsonElement> CreatePerson(string name)
    {
        var response = await Server.Client.PostAsJsonAsync("/api/v1/persons", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var person = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/persons/{person.GetProperty("id").GetInt64()}", response.Headers.Location?.OriginalString);
        return person;
    }

    [Fact]
    public async Task Enrollment_IsCommittedBeforeTheAnswer_AndIdempotent()
    {
        var id = (await CreatePerson("Durable Dora")).GetProperty("id").GetInt64();
        var first = await Server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Multipart(("photo", Photos.Lu(2))));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var face = await first.Content.ReadFromJsonAsync<JsonElement>();

        // Another connection to the file sees the face as soon as the 201 is in.
        using (var store = GalleryStores.Open(Server.Options.Database))
            Assert.Equal(id, store.GetFace(face.GetProperty("id").GetInt64())!.PersonId);

        var again = await Server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Lu(2)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(face.GetProperty("id").GetInt64(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        Assert.Equal(1, (await Server.Client.GetFromJsonAsync<JsonElement>($"/api/v1/persons/{id}")).GetProperty("faceCount").GetInt32());
    }

    [Fact]
    public async Task Rename_List_Page_And_Thumbnails()
    {
        var a = (await CreatePerson("Page A")).GetProperty("id").GetInt64();
        await CreatePerson("Page B");
        var renamed = await Server.Client.PatchAsJsonAsync($"/api/v1/persons/{a}", new { name = "Page A2" });
        Assert.Equal("Page A2", (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        await ProblemAssert.IsProblem(await Server.Client.PatchAsJsonAsync($"/api/v1/persons/{a}", new { name = "Page B" }), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblem(await Server.Client.PatchAsJsonAsync($"/api/v1/persons/{a}", new { name = " " }), HttpStatusCode.BadRequest);

        var all = await Server.Client.GetFromJsonAsync<JsonElement>("/api/v1/persons?limit=500");
        var total = all.GetProperty("total").GetInt64();
        Assert.Equal(total, all.GetProperty("items").GetArrayLength());
        var page = await Server.Client.GetFromJsonAsync<JsonElement>($"/api/v1/persons?offset={total - 1}&limit=1");
        Assert.Equal("Page B", Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        await ProblemAssert.IsProblem(await Server.Client.GetAsync("/api/v1/persons?limit=0"), HttpStatusCode.BadRequest);

        var face = await (await Server.Client.PostAsync($"/api/v1/persons/{a}/faces", Bodies.Raw(Photos.Obama(4)))).Content.ReadFromJsonAsync<JsonElement>();
        var thumbnail = await Server.Client.GetAsync(face.GetProperty("thumbnail").GetString());
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        var image = new Visage.Imaging.ImageDecoder().Decode(await thumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal(96, Math.Max(image.Width, image.Height));
    }

    [Fact]
    public async Task DeletingAPerson_ErasesTheirVectors_SoTheyAreNoLongerRecognized()
    {
        var id = (await CreatePerson("Forget Me")).GetProperty("id").GetInt64();
        var face = await (await Server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Biden(2)))).Content.ReadFromJsonAsync<JsonElement>();
        var before = await (await Server.Client.PostAsync("/api/v1/recognize", Bodies.Raw(Photos.Biden(2)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(Names(before), n => n == "Forget Me");

        Assert.Equal(HttpStatusCode.NoContent, (await Server.Client.DeleteAsync($"/api/v1/persons/{id}")).StatusCode);

        var after = await (await Server.Client.PostAsync("/api/v1/recognize", Bodies.Raw(Photos.Biden(2)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(Names(after), n => n == "Forget Me");
        await ProblemAssert.IsProblem(await Server.Client.GetAsync($"/api/v1/persons/{id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await Server.Client.GetAsync(face.GetProperty("thumbnail").GetString()), HttpStatusCode.NotFound);
        using var store = GalleryStores.Open(Server.Options.Database);
        Assert.Null(store.GetFace(face.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task DeletingAFace_RemovesOnlyThatFace()
    {
        var id = (await CreatePerson("Two Faces")).GetProperty("id").GetInt64();
        var first = await (await Server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Obama(1)))).Content.ReadFromJsonAsync<JsonElement>();
        await Server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Obama(2)));
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Client.DeleteAsync($"/api/v1/faces/{first.GetProperty("id").GetInt64()}")).StatusCode);
        var faces = await Server.Client.GetFromJsonAsync<JsonElement>($"/api/v1/persons/{id}/faces");
        Assert.Equal(1, faces.GetArrayLength());
        Assert.NotEqual(first.GetProperty("id").GetInt64(), faces[0].GetProperty("id").GetInt64());
    }

    /// <summary>The names given to every face of a recognize answer (null for unknown).</summary>
    private static IEnumerable<string?> Names(JsonElement recognized) =>
        recognized.GetProperty("faces").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
}
