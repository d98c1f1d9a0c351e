using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Visage.Cli.Tests.Service;
using Visage.Tests;

namespace Visage.Browser.Tests;

/// <summary>
/// The page in Debian's Chromium, with the fake camera showing real photos: enroll a person through the page
/// (a camera snapshot and an uploaded photo), see them in the gallery, then the live view names them and calls a
/// stranger "unknown", each with the confidence and the nearest candidates, decided from bursts of frames.
/// Screenshots are saved to TestResults/browser/.
/// </summary>
public sealed class WebcamPageTests : PageSession
{
    private readonly DirectoryInfo _videos = Directory.CreateTempSubdirectory("visage-camera-");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _videos.Delete(recursive: true);
    }

    private string Video(string name, int side, params string[] photos)
    {
        var path = Path.Combine(_videos.FullName, name + ".y4m");
        FakeCamera.Write(path, photos, side);
        return path;
    }

    private async Task<(IBrowser Browser, IPage Page)> OpenPage(string video)
    {
        var browser = await Chromium.LaunchAsync(Playwright, video);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(Server.BaseAddress.ToString());
        return (browser, page);
    }

    [Fact]
    public async Task EnrollThroughThePage_ThenTheLiveViewNamesThePerson_AndCallsAStrangerUnknown()
    {
        // 1. A camera that shows Edward Lu: the page asks for a key, then enroll him from a snapshot and an upload.
        var (first, page) = await OpenPage(Video("lu", 360, Photo("Edward_Lu", 2)));
        await using (first)
        {
            await Assertions.Expect(page.Locator("#key-dialog")).ToBeVisibleAsync();
            await page.FillAsync("#api-key", VisageServer.AdminKey);
            await page.ClickAsync("#save-key");
            Assert.Equal(VisageServer.AdminKey, await page.EvaluateAsync<string>("localStorage.getItem('visage.apiKey')"));
            await Assertions.Expect(page.Locator("#camera-state")).ToHaveTextAsync("camera on");

            await page.FillAsync("#enroll-name", "Edward Lu");
            await page.ClickAsync("#snapshot");
            await Assertions.Expect(page.Locator("#enroll-status")).ToHaveTextAsync("Enrolled 1 photo(s) of Edward Lu.");
            await page.SetInputFilesAsync("#enroll-files", Photo("Edward_Lu", 3));
            await Assertions.Expect(page.Locator("#enroll-status")).ToHaveTextAsync("Enrolled 1 photo(s) of Edward Lu.");

            var lu = page.Locator("#gallery > li", new() { Has = page.Locator(".person-name", new() { HasTextString = "Edward Lu" }) });
            await Assertions.Expect(lu.Locator(".face img")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#live-faces > li.known .who")).ToHaveTextAsync("Edward Lu");
            // Thumbnails are real images, loaded with the key.
            Assert.True(await lu.Locator(".face img").First.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));

            // A photo with no face is refused with the API's reason, and leaves no empty person behind.
            await page.FillAsync("#enroll-name", "Passer-by");
            await page.SetInputFilesAsync("#enroll-files", Path.Combine(TestData.NonFaces, "landscape.jpg"));
            await Assertions.Expect(page.Locator("#enroll-status")).ToContainTextAsync("Nothing enrolled for Passer-by. landscape.jpg: No face was found");
            await Assertions.Expect(page.Locator(".person-name")).ToHaveTextAsync(["Edward Lu"]);

            // A person is deleted from the gallery view.
            await page.FillAsync("#enroll-name", "Joe Biden");
            await page.SetInputFilesAsync("#enroll-files", Photo("Joseph_Biden", 2));
            var biden = page.Locator("#gallery > li", new() { Has = page.Locator(".person-name", new() { HasTextString = "Joe Biden" }) });
            await Assertions.Expect(biden.Locator(".face img")).ToHaveCountAsync(1);
            page.Dialog += (_, dialog) => dialog.AcceptAsync();
            await biden.Locator(".delete-person").ClickAsync();
            await Assertions.Expect(biden).ToHaveCountAsync(0);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "enroll.png"), FullPage = true });
        }

        // 2. A camera that shows another photo of Edward Lu beside a stranger (Edmund Stoiber, never enrolled).
        var (second, live) = await OpenPage(Video("lu-and-stranger", 280, Photo("Edward_Lu", 4), Photo("Edmund_Stoiber", 1)));
        await using (second)
        {
            await live.EvaluateAsync("key => localStorage.setItem('visage.apiKey', key)", VisageServer.AdminKey);
            await live.ReloadAsync();
            var faces = live.Locator("#live-faces > li");
            await Assertions.Expect(faces).ToHaveCountAsync(2);
            // Each face with its confidence and its nearest candidates; the stranger with the reason it is unknown.
            var known = live.Locator("#live-faces > li.known");
            await Assertions.Expect(known.Locator(".who")).ToHaveTextAsync("Edward Lu");
            await Assertions.Expect(known.Locator(".confidence")).ToHaveTextAsync(new Regex(@"^([5-9]\d|100)%$"));
            await Assertions.Expect(known.Locator(".candidates li").First).ToHaveTextAsync(new Regex(@"^Edward Lu 0\.\d\d \(([5-9]\d|100)%\)$"));
            var stranger = live.Locator("#live-faces > li.unknown");
            await Assertions.Expect(stranger.Locator(".who")).ToHaveTextAsync("unknown");
            await Assertions.Expect(stranger.Locator(".reason")).ToHaveTextAsync("no enrolled face close enough");
            await Assertions.Expect(stranger.Locator(".confidence")).ToHaveTextAsync(new Regex(@"^\d+%$"));
            await Assertions.Expect(stranger.Locator(".candidates li")).ToHaveTextAsync([new Regex(@"^Edward Lu \d\.\d\d \(\d+%\)$")]);
            // The frames captured while an answer was awaited went together: some answers were decided from a burst.
            // A frame is captured every 200 ms, and a fast server answers sooner: hold each answer 500 ms, as a slow
            // server or a slow network would, so that frames wait.
            await live.RouteAsync(url => url.Contains("/api/v1/recognize?burst=true"), async route =>
            {
                await Task.Delay(500);
                await route.ContinueAsync();
            });
            var bursts = new List<int>();
            for (var i = 0; i < 20 && !bursts.Any(b => b > 1); i++)
            {
                var response = await live.WaitForResponseAsync(r => r.Url.Contains("/api/v1/recognize?burst=true"));
                bursts.Add((await response.JsonAsync())!.Value.GetProperty("frames").GetInt32());
            }
            Assert.Contains(bursts, b => b > 1);
            await Assertions.Expect(live.Locator("#burst")).ToHaveTextAsync(new Regex(@"^[1-3]$"));
            await Assertions.Expect(live.Locator("#latency")).ToHaveTextAsync(new Regex(@"^\d+$"));
            await Assertions.Expect(live.Locator("#fps")).Not.ToHaveTextAsync("0.0");
            await live.WaitForTimeoutAsync(1500); // a few more frames, so the numbers shown are steady
            var fps = double.Parse(await live.Locator("#fps").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
            var latency = int.Parse(await live.Locator("#latency").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"live view: {fps} frames/s, {latency} ms per frame");
            Assert.InRange(fps, 0.5, 10);
            await live.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "live.png"), FullPage = true });
        }
    }
}
