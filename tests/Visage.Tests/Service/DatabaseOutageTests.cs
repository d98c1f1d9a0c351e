using System.Net;
using Npgsql;
using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Reliability;
using Visage.Tests;

namespace Visage.Cli.Tests.Service;

/// <summary>
/// The service on PostgreSQL through a relay the test cuts: while the database is gone requests get 503 with
/// Retry-After (recognition keeps answering from memory), and once it is back the service recovers without a restart.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly TcpProxy _proxy;

    public DatabaseOutageTests() =>
        _proxy = new TcpProxy(new IPEndPoint(IPAddress.Loopback, new NpgsqlConnectionStringBuilder(_database.ConnectionString).Port));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _database.Dispose();
    }

    /// <summary>A service whose gallery is reached through the relay.</summary>
    private Task<VisageServer> StartBehindProxy(bool waitUntilReady = true) => VisageServer.StartAsync(o => o with
    {
        Database = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Port = _proxy.Port, Timeout = 3 }.ToString(),
    }, waitUntilReady);

    [Fact]
    public async Task Status503_WhileTheDatabaseIsDown_AndRecoveryWithoutRestart()
    {
        await using var server = await StartBehindProxy();

        var person = await (await server.Client.PostAsJsonAsync("/api/v1/persons", new { name = "Before the outage" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = person.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Lu(2)))).StatusCode);

        _proxy.Cut();

        var enroll = await server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Lu(3)));
        await ProblemAssert.IsProblem(enroll, HttpStatusCode.ServiceUnavailable, "database");
        ProblemAssert.RetryAfterSeconds(enroll);
        var create = await server.Client.PostAsJsonAsync("/api/v1/persons", new { name = "During the outage" });
        await ProblemAssert.IsProblem(create, HttpStatusCode.ServiceUnavailable);
        await ProblemAssert.IsProblem(await server.NewClient(null).GetAsync("/ready"), HttpStatusCode.ServiceUnavailable);
        // The index in memory still answers.
        var recognized = await (await server.Client.PostAsync("/api/v1/recognize", Bodies.Raw(Photos.Lu(4)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Before the outage", recognized.GetProperty("faces")[0].GetProperty("name").GetString());

        _proxy.Restore();

        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        HttpResponseMessage again;
        var tries = 0;
        do again = await server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(Photos.Lu(3)));
        while (again.StatusCode == HttpStatusCode.ServiceUnavailable && ++tries < 10 && await Pause());
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);

        // Every acknowledged enrollment is in the database, read without the service.
        using var store = GalleryStores.Open(_database.ConnectionString);
        Assert.Equal(2, store.ListFaces(id).Count);
        Assert.Null(store.FindPerson("During the outage"));
    }

    [Fact]
    public async Task AServiceStartedWhileTheDatabaseIsDown_Answers503_ThenPicksItUpByItself()
    {
        _proxy.Cut();
        await using var server = await StartBehindProxy(waitUntilReady: false);

        // The keys cannot be read yet: not 401 (the key may well be valid) but 503.
        var early = await server.Client.PostAsync("/api/v1/recognize", Bodies.Raw(Photos.Lu(2)));
        await ProblemAssert.IsProblem(early, HttpStatusCode.ServiceUnavailable, "unavailable");
        ProblemAssert.RetryAfterSeconds(early);
        await ProblemAssert.IsProblem(await server.NewClient(null).GetAsync("/ready"), HttpStatusCode.ServiceUnavailable);

        _proxy.Restore();

        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        var created = await server.Client.PostAsJsonAsync("/api/v1/persons", new { name = "After the start" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(500);
        return true;
    }
}
