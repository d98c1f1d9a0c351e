using Microsoft.Playwright;

namespace Visage.Browser.Tests;

/// <summary>Debian's Chromium, headless, with its fake camera playing a video file (or its own test pattern without one).</summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, string? videoFile)
    {
        if (!File.Exists(Path))
            throw new InvalidOperationException($"{Path} is missing: run scripts/chromium.sh (scripts/test.sh does) to install Debian's chromium");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args =
            [
                "--no-sandbox", // the tests may run as root
                "--use-fake-ui-for-media-stream", // grant the camera without asking
                "--use-fake-device-for-media-stream",
                "--disable-gpu",
                // No calls home: this machine's network is closed, and a test must not depend on one.
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                .. videoFile is null ? Array.Empty<string>() : ["--use-file-for-fake-video-capture=" + videoFile],
            ],
        });
    }
}
