using System.Diagnostics;
using Xunit.Abstractions;

namespace Visage.Install.Tests;

/// <summary>The images scripts/container.sh builds (amd64 and arm64), run with Debian's podman as a user would.</summary>
public sealed class Images
{
    public const string Amd64 = "localhost/visage:amd64", Arm64 = "localhost/visage:arm64";

    public Images()
    {
        ChildProcess.Script("container.sh", "amd64", "--no-publish");
        ChildProcess.Script("container.sh", "arm64", "--no-publish");
    }
}

[Collection(PublishedCollection.Name)]
public sealed class ContainerTests(Images images, ITestOutputHelper output) : IClassFixture<Images>, IDisposable
{
    private const string AdminKey = "container-test-admin-key-0123";
    private readonly string _name = "visage-test-" + Guid.NewGuid().ToString("N")[..10];
    private readonly List<string> _volumes = [];

    public void Dispose()
    {
        Podman("rm", "-f", "-v", "-t", "5", _name); // -v: with it the anonymous /data volume of a run given none
        foreach (var volume in _volumes) Podman("volume", "rm", "-f", volume);
        GC.KeepAlive(images);
    }

    /// <summary>podman with what this machine needs (DESIGN.md): runc, and limits below the machine's own.</summary>
    private static ChildProcess Podman(params string[] args) =>
        ChildProcess.Run("podman", ["--runtime", "/usr/sbin/runc", .. args], timeout: TimeSpan.FromMinutes(5));

    private static readonly string[] Limits = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];

    private string Volume()
    {
        var volume = _name + "-data-" + _volumes.Count;
        Assert.Equal(0, Podman("volume", "create", volume).ExitCode);
        _volumes.Add(volume);
        return volume;
    }

    [Fact]
    public async Task TheImage_RunsAsNonRoot_KeepsEverythingInData_AnswersOnAPublishedPort_AndIsHealthy()
    {
        var volume = Volume();
        var port = Loopback.FreePort();
        var clock = Stopwatch.StartNew();
        var run = Podman(["run", "-d", "--name", _name, .. Limits, "-p", $"127.0.0.1:{port}:5080", "-v", $"{volume}:/data", "-e", $"VISAGE_ADMIN_KEY={AdminKey}", Images.Amd64]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await Loopback.WaitReadyAsync(client.BaseAddress!, TimeSpan.FromMinutes(5));
        output.WriteLine($"container start to /ready (first start: models converted into the volume): {clock.Elapsed.TotalSeconds:0.0} s");

        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        using var photo = new ByteArrayContent(File.ReadAllBytes(Published.Photo));
        photo.Headers.ContentType = new("image/jpeg");
        var answer = await client.PostAsync("/api/v1/recognize", photo);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("visage_recognitions_total", await client.GetStringAsync("/metrics"));

        var pid = Podman("inspect", "--format", "{{.State.Pid}}", _name).Stdout.Trim();
        Assert.Matches(@"(?m)^Uid:\s+10001\s", File.ReadAllText($"/proc/{pid}/status"));
        var health = Podman("healthcheck", "run", _name);
        Assert.True(health.ExitCode == 0, health.ToString());
        var data = Podman("volume", "inspect", "--format", "{{.Mountpoint}}", volume).Stdout.Trim();
        Assert.True(File.Exists(Path.Combine(data, "visage.db")));
        Assert.True(Directory.Exists(Path.Combine(data, "models")));
        var logs = Podman("logs", _name);
        Assert.DoesNotContain("warn", logs.Stdout + logs.Stderr, StringComparison.OrdinalIgnoreCase);

        // A restart finds the gallery and the converted models in the volume.
        Assert.Equal(0, Podman("stop", "-t", "10", _name).ExitCode);
        clock.Restart();
        Assert.Equal(0, Podman("start", _name).ExitCode);
        await Loopback.WaitReadyAsync(client.BaseAddress!, TimeSpan.FromMinutes(2));
        output.WriteLine($"container restart to /ready: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task AspNetCoreUrls_MovesTheServiceInside_AndTheHealthCheckFollows()
    {
        var port = Loopback.FreePort();
        var run = Podman(["run", "-d", "--name", _name, .. Limits, "-p", $"127.0.0.1:{port}:6000", "-e", "ASPNETCORE_URLS=http://0.0.0.0:6000", Images.Amd64]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await Loopback.WaitReadyAsync(client.BaseAddress!, TimeSpan.FromMinutes(5));
        Assert.Contains("visage: listening on http://0.0.0.0:6000", Podman("logs", _name).Stdout);
        Assert.Equal(0, Podman("healthcheck", "run", _name).ExitCode);
    }

    [Fact]
    public void AReadOnlyDataVolume_IsOneLine_AndANonZeroExit()
    {
        var result = RunToEnd("-v", $"{Volume()}:/data:ro");
        SelfContainedTests.AssertOneLineFailure(result, SelfContainedTests.DataFolderUnusable, "the data folder /data (VISAGE_HOME) cannot be written by user visage: the file system is read-only");
    }

    [Fact]
    public void AnUnknownSettingValue_IsOneLine_AndExit2()
    {
        var result = RunToEnd("-v", $"{Volume()}:/data", "-e", "VISAGE_PRECISION=fp16");
        SelfContainedTests.AssertOneLineFailure(result, 2, "VISAGE_PRECISION=fp16: Argument 'fp16' not recognized. Must be one of: 'fp32' 'int8'");
    }

    /// <summary>
    /// Runs the amd64 image until it exits; its exit code and its own output (podman's messages apart: without systemd
    /// here, podman says on stderr that it cannot schedule the health check timer).
    /// </summary>
    private ChildProcess RunToEnd(params string[] options)
    {
        var run = Podman(["run", "-d", "--name", _name, .. Limits, .. options, Images.Amd64]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var exit = int.Parse(Podman("wait", _name).Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var logs = Podman("logs", _name);
        return new ChildProcess(exit, logs.Stdout, logs.Stderr);
    }

    [Fact]
    public void TheArm64Image_IsArm64_NonRoot_WithAHealthCheck_AndOnThisX64WithoutEmulationFailsInOneLine()
    {
        Assert.Equal("arm64", Podman("image", "inspect", "--format", "{{.Architecture}}", Images.Arm64).Stdout.Trim());
        Assert.Equal("10001:10001", Podman("image", "inspect", "--format", "{{.Config.User}}", Images.Arm64).Stdout.Trim());
        Assert.Contains("/opt/visage/visage health", Podman("image", "inspect", "--format", "{{.Config.Healthcheck.Test}}", Images.Arm64).Stdout);
        foreach (var image in new[] { Images.Amd64, Images.Arm64 })
            output.WriteLine($"{image}: {double.Parse(Podman("image", "inspect", "--format", "{{.Size}}", image).Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture) / 1e6:0} MB");

        var result = Podman(["run", "--rm", .. Limits, Images.Arm64, "--version"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("exec /opt/visage/visage: exec format error", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
    }
}
