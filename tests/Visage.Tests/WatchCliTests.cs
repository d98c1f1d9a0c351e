using Visage.Faces;
using Visage.Tests;
using Visage.Video.Tests;
using Visage.Video.Tests.Media;
using Visage.Video.Tracking;

namespace Visage.Cli.Tests;

/// <summary>A gallery of the standard timeline's known people, enrolled through the CLI from their other photos; deleted after the tests.</summary>
public sealed class WatchCliGallery : IDisposable
{
    private readonly Lazy<string> _path = new(Enroll);

    /// <summary>The gallery's file (enrolled on first use).</summary>
    public string Value => _path.Value;

    public void Dispose()
    {
        if (!_path.IsValueCreated) return;
        foreach (var file in new[] { "", "-wal", "-shm" }.Select(suffix => _path.Value + suffix)) File.Delete(file);
    }

    private static string Enroll()
    {
        var db = Path.Combine(Path.GetTempPath(), $"visage-watch-{Guid.NewGuid():N}.db");
        foreach (var known in Casts.Known(TestVideo.StandardTimeline()))
        {
            var result = VisageProcess.Run(["enroll", "--name", known.Label, "--db", db, .. known.Photos]);
            Assert.True(result.ExitCode is 0 or ExitCodes.NoFace or ExitCodes.SeveralFaces, result.ToString());
        }
        return db;
    }
}

/// <summary><c>visage watch</c> on a generated video with ground truth, and on files it cannot read.</summary>
public sealed class WatchCliTests(WatchCliGallery gallery) : IClassFixture<WatchCliGallery>
{
    private WatchCliGallery Gallery => gallery;

    [Fact]
    public async Task Json_OneEventSequencePerAppearance_KnownPeopleNamed_StrangerUnknown()
    {
        var truth = await TestVideo.CachedAsync(TestVideo.StandardTimeline(), 1280, 720, 25);
        var annotated = Path.Combine(Path.GetTempPath(), $"visage-watch-{Guid.NewGuid():N}.mp4");
        try
        {
            var result = VisageProcess.Run(["watch", truth.Video, "--json", "--camera", "porch", "--db", Gallery.Value, "--annotate", annotated]);
            Assert.True(result.ExitCode == 0, result.ToString());
            var events = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
            var score = WatchScore.Of(truth, events);
            Assert.True(score.Problems.Count == 0, string.Join('\n', score.Problems));
            Assert.Equal(truth.Appearances.Count, score.Tracks);
            // The summary goes to stderr: stdout holds events only.
            Assert.Contains($"{truth.Appearances.Count} appearances: {score.Known} named, {score.Strangers} strangers", result.Stderr);
            var probe = await Probe(annotated);
            Assert.Equal("1280,720", probe);
        }
        finally
        {
            File.Delete(annotated);
        }
    }

    [Fact]
    public async Task Human_OneLinePerEvent_ThenTheSummary()
    {
        var truth = await TestVideo.CachedAsync(TestVideo.StandardTimeline(), 1280, 720, 25);
        var result = VisageProcess.Run(["watch", truth.Video, "--db", Gallery.Value, "--detector", "tiny", "--fps", "5"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3 * truth.Appearances.Count, lines.Count(l => l.Contains(" appeared ") || l.Contains(" identified ") || l.Contains(" left ")));
        Assert.Contains(lines, l => l.Contains(" identified ") && l.Contains(truth.Appearances[0].Label));
        Assert.StartsWith($"{truth.Appearances.Count} appearances:", lines[^1]);
        Assert.Contains("frames processed", lines[^1]);
    }

    [Fact]
    public async Task TruncatedFile_ExitsWithAVideoError()
    {
        var truth = await TestVideo.CachedAsync(TestVideo.StandardTimeline(), 1280, 720, 25);
        var path = Path.Combine(Path.GetTempPath(), $"visage-truncated-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(path, File.ReadAllBytes(truth.Video).AsSpan(0, 100_000).ToArray());
        try
        {
            var result = VisageProcess.Run(["watch", path, "--db", Gallery.Value]);
            Assert.True(result.ExitCode == ExitCodes.VideoUnreadable, result.ToString());
            Assert.StartsWith("visage: error: ", result.Stderr);
            Assert.Contains("not a readable video", result.Stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AudioOnlyFile_ExitsWithAVideoError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"visage-tone-{Guid.NewGuid():N}.m4a");
        await Ffmpeg.RunAsync(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", path]);
        try
        {
            var result = VisageProcess.Run(["watch", path, "--db", Gallery.Value]);
            Assert.True(result.ExitCode == ExitCodes.VideoUnreadable, result.ToString());
            Assert.Contains("has no video stream", result.Stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AnnotatingIntoAFolderThatDoesNotExist_IsAOneLineError()
    {
        var truth = await TestVideo.CachedAsync(TestVideo.StandardTimeline(), 1280, 720, 25);
        var result = VisageProcess.Run(["watch", truth.Video, "--db", Gallery.Value, "--annotate", "/no/such/folder/out.mp4"]);
        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.StartsWith("visage: error: the encoder of /no/such/folder/out.mp4 stopped", result.Stderr);
        Assert.DoesNotContain("Unhandled exception", result.Stderr);
    }

    [Fact]
    public void MissingFile_ExitsWithFileNotFound()
    {
        var result = VisageProcess.Run(["watch", "/no/such/video.mp4", "--db", Gallery.Value]);
        Assert.True(result.ExitCode == ExitCodes.FileNotFound, result.ToString());
    }

    [Fact]
    public void UnsupportedScheme_IsAUsageError_WithTheCredentialsMasked()
    {
        var result = VisageProcess.Run(["watch", "ftp://admin:hunter2@127.0.0.1/cam", "--db", Gallery.Value]);
        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("unsupported scheme 'ftp'", result.Stderr);
        Assert.DoesNotContain("hunter2", result.Stderr + result.Stdout);
    }

    [Fact]
    public async Task UnreachableCamera_WarnsMaskedAndRetries_AndCtrlCEndsWithASummaryAndNoFfmpegLeft()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { VisageProcess.Dll, "watch", "rtsp://admin:hunter2@127.0.0.1:9/cli-watch", "--db", Gallery.Value }) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new System.Text.StringBuilder();
        var warned = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            if (e.Data.Contains("reconnecting", StringComparison.Ordinal)) warned.TrySetResult();
        };
        process.BeginErrorReadLine();
        try
        {
            await warned.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using (var interrupt = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await interrupt.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        var all = stderr + await stdout;
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("rtsp://admin:***@127.0.0.1:9/cli-watch", all);
        Assert.DoesNotContain("hunter2", all);
        Assert.Contains("0 appearances", await stdout);
        // The ffmpeg visage started for that camera ended with it (its command line names the camera's address).
        var processes = Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(d => int.TryParse(d, out _)).Select(d => int.Parse(d!));
        Assert.DoesNotContain(processes, pid => ProcessTable.CommandLine(pid).Contains("127.0.0.1:9/cli-watch", StringComparison.Ordinal) && ProcessTable.CommandLine(pid).StartsWith("ffmpeg", StringComparison.Ordinal));
    }

    /// <summary>One JSON line back into an event (what the scorer reads: kind, track, time, name, box, duration).</summary>
    private static AppearanceEvent Parse(string line)
    {
        var e = JsonDocument.Parse(line).RootElement;
        var kind = e.GetProperty("event").GetString() switch
        {
            "appeared" => AppearanceEventKind.Appeared,
            "identified" => AppearanceEventKind.Identified,
            "left" => AppearanceEventKind.Left,
            var other => throw new InvalidDataException($"unknown event {other}"),
        };
        var box = e.GetProperty("box");
        var name = e.GetProperty("name").GetString();
        TrackDecision? decision = kind == AppearanceEventKind.Appeared ? null
            : new TrackDecision(name, e.GetProperty("personId").ValueKind == JsonValueKind.Null ? null : e.GetProperty("personId").GetInt64(), e.GetProperty("confidence").GetDouble(), null);
        return new AppearanceEvent(kind, e.GetProperty("camera").GetString()!, e.GetProperty("track").GetInt64(),
            new FrameStamp(0, e.GetProperty("time").GetDouble()), decision,
            new BoundingBox(box.GetProperty("x").GetDouble(), box.GetProperty("y").GetDouble(), box.GetProperty("width").GetDouble(), box.GetProperty("height").GetDouble()),
            e.GetProperty("frames").GetInt32(), e.TryGetProperty("duration", out var d) ? d.GetDouble() : null);
    }

    private static async Task<string> Probe(string video)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", video]) { RedirectStandardOutput = true })!;
        var text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return text.Trim();
    }
}
