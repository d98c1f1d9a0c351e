namespace Visage.Cli.Tests.Service;

/// <summary>One service on a temp SQLite gallery for the API test classes of the "service" collection (run one after another).</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public VisageServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await VisageServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}
