using System.Net;
using Npgsql;
using Visage.Gallery;
using Visage.Tests;

namespace Visage.Cli.Tests.Service;

/// <summary>
/// The service on PostgreSQL through a relay the test cuts: while the database is gone requests get 503 with
/// Retry-After (recognition keeps answering from memory), and once it is back the service recovers without a restart.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task Status503_WhileTheDatabaseIsDown_AndRecoveryWithoutRestart()
    {
        using var database = new PostgresTestDatabase();
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(new IPEndPoint(IPAddress.Loopback, target.Port));
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = proxy.Port, Timeout = 3 }.ToString();
        await using var server = await VisageServer.StartAsync(o => o with { Database = viaProxy });

        var person = await (await server.Client.PostAsJsonAsync("/api/v1/persons", new { name = "Before the outage" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = person.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Lu(2)))).StatusCode);

        proxy.Cut();

        var enroll = await server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Lu(3)));
        await ProblemAssert.IsProblem(enroll, HttpStatusCode.ServiceUnavailable, "database");
        ProblemAssert.RetryAfterSeconds(enroll);
        var create = await server.Client.PostAsJsonAsync("/api/v1/persons", new { name = "During the outage" });
        await ProblemAssert.IsProblem(create, HttpStatusCode.ServiceUnavailable);
        await ProblemAssert.IsProblem(await server.NewClient(null).GetAsync("/ready"), HttpStatusCode.ServiceUnavailable);
        // The index in memory still answers.
        var recognized = await (await server.Client.PostAsync("/api/v1/recognize", Bodies.Raw(Photos.Lu(4)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Before the outage", recognized.GetProperty("faces")[0].GetProperty("name").GetString());

        proxy.Restore();

        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        HttpResponseMessage again;
        var tries = 0;
        do again = await server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Lu(3)));
        while (again.StatusCode == HttpStatusCode.ServiceUnavailable && ++tries < 10 && await Pause());
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);

        // Every acknowledged enrollment is in the database, read without the service.
        using var store = GalleryStores.Open(database.ConnectionString);
        Assert.Equal(2, store.ListFaces(id).Count);
        Assert.Null(store.FindPerson("During the outage"));
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(500);
        return true;
    }
}
