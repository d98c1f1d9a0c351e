using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Visage.Cli.Tests.Service;
using Visage.Tests;
using Visage.Video.Tests.Media;

namespace Visage.Browser.Tests;

/// <summary>
/// The Cameras view in Debian's Chromium: a camera added through the page (the generated video, played in real time)
/// shows its annotated picture, its events, and its last appearances with the best face of each.
/// </summary>
public sealed class CamerasPageTests : IAsyncLifetime
{
    private static readonly string Artifacts = Path.Combine(TestData.RepoRoot, "TestResults", "browser");

    private readonly DirectoryInfo _webcam = Directory.CreateTempSubdirectory("visage-camera-");
    private VisageServer _server = null!;
    private IPlaywright _playwright = null!;
    private GroundTruth _video = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Artifacts);
        _video = await TestVideo.CachedAsync(TestVideo.StandardTimeline(), 1280, 720, 25);
        _server = await VisageServer.StartAsync();
        foreach (var known in Casts.Known(TestVideo.StandardTimeline()))
        {
            var person = await (await _server.Client.PostAsync("/api/v1/persons", JsonContent.Create(new { name = known.Label })))
                .Content.ReadFromJsonAsync<JsonElement>();
            var id = person.GetProperty("id").GetInt64();
            foreach (var photo in known.Photos)
                await _server.Client.PostAsync($"/api/v1/persons/{id}/faces", Bodies.Raw(photo));
        }
        _playwright = await Playwright.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        _playwright.Dispose();
        await _server.DisposeAsync();
        _webcam.Delete(recursive: true);
    }

    [Fact]
    public async Task AddACamera_ThenItsPictureEventsAndAppearancesShow()
    {
        var webcam = Path.Combine(_webcam.FullName, "empty.y4m");
        FakeCamera.Write(webcam, [Path.Combine(TestData.NonFaces, "landscape.jpg")], 360);
        await using var browser = await Chromium.LaunchAsync(_playwright, webcam);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1400 } });
        page.SetDefaultTimeout(45_000);
        await page.GotoAsync(_server.BaseAddress.ToString());
        await page.FillAsync("#api-key", VisageServer.AdminKey);
        await page.ClickAsync("#save-key");
        await Assertions.Expect(page.Locator("#cameras li.empty")).ToHaveTextAsync("No camera yet.");

        await page.ClickAsync("#add-camera summary");
        await page.FillAsync("#camera-name", "hall");
        await page.FillAsync("#camera-url", _video.Video);
        await page.ClickAsync("#camera-add");
        await Assertions.Expect(page.Locator("#camera-status")).ToHaveTextAsync($"Watching hall ({_video.Video}).");
        Assert.Equal("", await page.InputValueAsync("#camera-url"));

        var hall = page.Locator("#cameras > li[data-camera-name='hall']");
        await Assertions.Expect(hall.Locator(".camera-name")).ToHaveTextAsync("hall");
        // The annotated picture arrives a few times a second, fetched with the key.
        await page.WaitForFunctionAsync("() => { const img = document.querySelector(\"li[data-camera-name='hall'] .camera-picture\"); return img && img.complete && img.naturalWidth === 1280; }");
        // The first person walks past from 1 s to 4 s: named, then listed with their best face once they left.
        var first = _video.Appearances[0].Label;
        var known = hall.Locator(".appearances li.known");
        await Assertions.Expect(known.First).ToContainTextAsync(first, new() { Timeout = 30_000 });
        Assert.True(await known.First.Locator("img").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        await Assertions.Expect(hall.Locator(".camera-events")).Not.ToBeEmptyAsync();
        await Assertions.Expect(hall.Locator(".camera-state")).ToContainTextAsync("running · 10 frames/s · tiny");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "cameras.png"), FullPage = true });
    }
}
