using Microsoft.Playwright;
using Visage.Cli.Tests.Service;
using Visage.Tests;

namespace Visage.Browser.Tests;

/// <summary>What every page test starts with: a service on a temp gallery, Playwright, and the folder for screenshots.</summary>
public abstract class PageSession : IAsyncLifetime
{
    protected static readonly string Artifacts = Path.Combine(TestData.RepoRoot, "TestResults", "browser");

    protected VisageServer Server { get; private set; } = null!;

    protected IPlaywright Playwright { get; private set; } = null!;

    protected static string Photo(string person, int n) => Path.Combine(TestData.Faces, person, $"{person}_{n:0000}.jpg");

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(Artifacts);
        Server = await VisageServer.StartAsync();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
    }

    public virtual async Task DisposeAsync()
    {
        Playwright.Dispose();
        await Server.DisposeAsync();
    }
}
