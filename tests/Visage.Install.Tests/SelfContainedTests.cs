using System.Diagnostics;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Visage.Install.Tests;

/// <summary>
/// The linux-x64 release as a user gets it: an archive with its checksum, one executable that needs no .NET, models
/// shipped beside it (no npm, no network), the settings ASP.NET users expect, and one clear line for each fault at start.
/// </summary>
[Collection(PublishedCollection.Name)]
public sealed class SelfContainedTests(ITestOutputHelper output) : IDisposable
{
    private const string AdminKey = "install-test-admin-key-0123";

    /// <summary>visage's exit code for a data folder it cannot make or write (<c>ExitCodes.DataFolderUnusable</c>; the builds run here are not referenced).</summary>
    internal const int DataFolderUnusable = 19;
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("visage-install-home-");
    private readonly DirectoryInfo _emptyPath = Directory.CreateTempSubdirectory("visage-install-path-");

    private static string Visage => Published.Executable(Published.X64);

    public void Dispose()
    {
        _home.Delete(recursive: true);
        _emptyPath.Delete(recursive: true);
    }

    /// <summary>The environment of a machine with nothing but the build: no npm, no dotnet on PATH, a fresh data folder.</summary>
    private Dictionary<string, string?> Bare(params (string Name, string? Value)[] more)
    {
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = _emptyPath.FullName,
            ["VISAGE_HOME"] = _home.FullName,
            ["VISAGE_ADMIN_KEY"] = AdminKey,
            ["DOTNET_ROOT"] = null,
            ["ASPNETCORE_URLS"] = null,
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(n => n.StartsWith("VISAGE_", StringComparison.Ordinal) && n != "VISAGE_HOME" && n != "VISAGE_ADMIN_KEY"))
            env[name] = null; // the suite's own VISAGE_TEST_* and anything a developer set
        foreach (var (name, value) in more) env[name] = value;
        return env;
    }

    [Fact]
    public void TheArchive_MatchesItsChecksum_AndHoldsOneExecutable_ItsNativeLibraries_AndTheModels()
    {
        var archive = $"visage-{Published.X64}-models.tar.gz";
        var check = ChildProcess.Run("sha256sum", ["-c", archive + ".sha256"], workingDirectory: Published.Dist);
        Assert.True(check.ExitCode == 0, check.ToString());
        var listing = ChildProcess.Run("tar", ["-tzf", Path.Combine(Published.Dist, archive)]).Stdout.Split('\n');
        var root = $"visage-{Published.X64}-models/";
        foreach (var file in new[] { "visage", "libonnxruntime.so", "libSkiaSharp.so", "libe_sqlite3.so", "wwwroot/index.html", "models/vladmandic-face-api-1.7.15.tgz" })
            Assert.Contains(root + file, listing);
        Assert.DoesNotContain(listing, f => f.EndsWith(".dll", StringComparison.Ordinal)); // one single-file executable, no assemblies beside it
    }

    [Fact]
    public async Task FirstStart_WithoutNpmOrNetwork_ConvertsTheShippedModels_AndAnswers_WithNoWarning()
    {
        var clock = Stopwatch.StartNew();
        using var service = RunningService.Start(Visage, ["serve", "--urls", "http://127.0.0.1:0"], Bare());
        var address = await service.ListeningAsync(TimeSpan.FromMinutes(1));
        var ready = await service.ReadyAsync(address, TimeSpan.FromMinutes(5), clock);
        output.WriteLine($"first start to /ready (models converted from the shipped package): {ready.TotalSeconds:0.0} s");

        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        using var photo = new ByteArrayContent(File.ReadAllBytes(Published.Photo));
        photo.Headers.ContentType = new("image/jpeg");
        var answer = await client.PostAsync("/api/v1/recognize", photo);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Single((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray());

        var log = service.Output;
        Assert.Contains("shipped with visage", log);
        Assert.DoesNotContain("warn", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fail:", log);

        // A second start finds everything in the data folder.
        service.Dispose();
        clock.Restart();
        using var again = RunningService.Start(Visage, ["serve", "--urls", "http://127.0.0.1:0"], Bare());
        var second = await again.ReadyAsync(await again.ListeningAsync(TimeSpan.FromMinutes(1)), TimeSpan.FromMinutes(2), clock);
        output.WriteLine($"second start to /ready: {second.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task AspNetCoreUrls_IsHonoured_AndTheUrlsOption_WinsOverIt()
    {
        var port = Loopback.FreePort();
        using (var service = RunningService.Start(Visage, ["serve"], Bare(("ASPNETCORE_URLS", $"http://127.0.0.1:{port}"))))
            Assert.Equal(port, (await service.ListeningAsync(TimeSpan.FromMinutes(1))).Port);

        var other = Loopback.FreePort();
        using (var service = RunningService.Start(Visage, ["serve", "--urls", $"http://127.0.0.1:{other}"], Bare(("ASPNETCORE_URLS", $"http://127.0.0.1:{port}"))))
            Assert.Equal(other, (await service.ListeningAsync(TimeSpan.FromMinutes(1))).Port);
    }

    [Fact]
    public async Task EveryServeOption_CanComeFromAVisageVariable_OrAppSettings()
    {
        // appsettings.ENVIRONMENT.json beside the executable, read only by a process in that environment.
        var environment = "InstallTest" + Guid.NewGuid().ToString("N")[..8];
        var settings = Path.Combine(Published.Folder(Published.X64), $"appsettings.{environment}.json");
        var port = Loopback.FreePort();
        File.WriteAllText(settings, JsonSerializer.Serialize(new { Visage = new { Urls = $"http://127.0.0.1:{port}", Detector = "tiny" } }));
        try
        {
            using (var service = RunningService.Start(Visage, ["serve"], Bare(("DOTNET_ENVIRONMENT", environment))))
                Assert.Equal(port, (await service.ListeningAsync(TimeSpan.FromMinutes(1))).Port);

            // The variable wins over the file, and is checked by the option's own parser.
            var refused = ChildProcess.Run(Visage, ["serve"], Bare(("DOTNET_ENVIRONMENT", environment), ("VISAGE_DETECTOR", "fast")), TimeSpan.FromMinutes(1));
            AssertOneLineFailure(refused, 2, "VISAGE_DETECTOR=fast");

            File.WriteAllText(settings, """{"Visage": {"MaxBodyMb": "lots"}}""");
            refused = ChildProcess.Run(Visage, ["serve"], Bare(("DOTNET_ENVIRONMENT", environment)), TimeSpan.FromMinutes(1));
            AssertOneLineFailure(refused, 2, "appsettings Visage:MaxBodyMb=lots");
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Fact]
    public async Task AMisspeltVariable_IsOneWarning_AndTheServiceStarts()
    {
        using var service = RunningService.Start(Visage, ["serve", "--urls", "http://127.0.0.1:0"], Bare(("VISAGE_DETECTR", "tiny")));
        await service.ListeningAsync(TimeSpan.FromMinutes(1));
        Assert.Contains("visage: warning: VISAGE_DETECTR is not a Visage setting", service.Output);
    }

    [Fact]
    public void APortAlreadyTaken_IsOneLine_AndExit1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var result = ChildProcess.Run(Visage, ["serve", "--urls", $"http://127.0.0.1:{port}"], Bare(), TimeSpan.FromMinutes(1));
        AssertOneLineFailure(result, 1, $"cannot listen on http://127.0.0.1:{port}");
    }

    [Fact]
    public void ADataFolderThatCannotBeMade_IsOneLine_AndExit19()
    {
        var env = Bare(("VISAGE_HOME", "/dev/null/visage"));
        var result = ChildProcess.Run(Visage, ["serve", "--urls", "http://127.0.0.1:0"], env, TimeSpan.FromMinutes(1));
        AssertOneLineFailure(result, DataFolderUnusable, "the data folder /dev/null/visage (VISAGE_HOME) cannot be written");
    }

    /// <summary>A start refused the way the issue asks: a non-zero exit, one line on stderr, no stack trace.</summary>
    internal static void AssertOneLineFailure(ChildProcess result, int exitCode, string expected)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("visage: error: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
    }
}
