using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Visage.Cli.Tests.Nvr;
using Visage.Cli.Tests.Service;
using Visage.Tests;

namespace Visage.Browser.Tests;

/// <summary>
/// The sightings on the page, in Debian's Chromium: what the cameras saw, with thumbnails; a stranger named (and so
/// enrolled) in one click, and "not them" on a wrong name. A screenshot is saved to TestResults/browser/.
/// </summary>
public sealed class SightingsPageTests : PageSession
{
    [Fact]
    public async Task AStrangerIsEnrolledByName_AndAWrongNameIsRejected_FromThePage()
    {
        var created = await Server.Client.PostAsJsonAsync("/api/v1/persons", new { name = "Edward Lu" });
        var lu = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        foreach (var n in new[] { 2, 3 }) await Server.Client.PostAsync($"/api/v1/persons/{lu}/faces", Bodies.Raw(Photo("Edward_Lu", n)));
        var stranger = await CameraSightings.RecordAsync(Server, "porch", Photo("Zinedine_Zidane", 1));
        var named = await CameraSightings.RecordAsync(Server, "porch", Photo("Edward_Lu", 4), lu);

        await using var browser = await Chromium.LaunchAsync(Playwright, null);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        await page.AddInitScriptAsync($"localStorage.setItem('visage.apiKey', '{VisageServer.AdminKey}')");
        await page.GotoAsync(Server.BaseAddress.ToString());

        var strangerItem = page.Locator($"#sightings > li[data-sighting-id='{stranger}']");
        var namedItem = page.Locator($"#sightings > li[data-sighting-id='{named}']");
        await Assertions.Expect(strangerItem.Locator(".sighting-name")).ToHaveTextAsync("unknown");
        await Assertions.Expect(namedItem.Locator(".sighting-name")).ToHaveTextAsync("Edward Lu");
        await Assertions.Expect(namedItem.Locator("img")).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await namedItem.Locator("img").EvaluateAsync<bool>("img => img.naturalWidth > 0"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "sightings.png"), FullPage = true });

        await strangerItem.Locator(".sighting-enroll-name").FillAsync("The Neighbour");
        await strangerItem.Locator(".sighting-enroll").ClickAsync();
        await Assertions.Expect(strangerItem.Locator(".sighting-name")).ToHaveTextAsync("The Neighbour");
        await Assertions.Expect(page.Locator(".person-name", new() { HasTextString = "The Neighbour" })).ToHaveCountAsync(1); // in the gallery now

        await namedItem.Locator(".sighting-reject").ClickAsync();
        await Assertions.Expect(namedItem.Locator(".sighting-name")).ToHaveTextAsync("unknown");
        var recognized = await (await Server.Client.PostAsync("/api/v1/recognize", Bodies.Raw(Photo("Zinedine_Zidane", 2)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The Neighbour", recognized.GetProperty("faces")[0].GetProperty("name").GetString());
    }
}
