using Visage.Video.Sources;
using Visage.Video.Tests.Media;
using Visage.Video.Tests.Servers;

namespace Visage.Video.Tests.Sources;

[Collection(SourceCollection.Name)]
public sealed class LiveSourceTests
{
    private static readonly FfmpegSourceOptions Quick = new()
    {
        StallTimeout = TimeSpan.FromSeconds(3),
        ReconnectDelay = TimeSpan.FromSeconds(0.2),
        MaxReconnectDelay = TimeSpan.FromSeconds(1),
    };

    [Theory]
    [InlineData(RtspTransport.Tcp)]
    [InlineData(RtspTransport.Udp)]
    public async Task Rtsp_DeliversFramesAtTheRequestedRate(RtspTransport transport)
    {
        var truth = await TestMedia.Hd720();
        using var server = await RtspServer.StartAsync(truth.Video);
        await using var read = new LiveRead(new FfmpegFrameSource(SourceUrl.Parse(RtspServer.Url(server)), Quick with { Fps = 10, RtspTransport = transport }));
        await read.FramesAsync(31, 20);
        var frames = read.Frames;
        Assert.All(frames, f => Assert.Equal((1280, 720), (f.Width, f.Height)));
        // 30 intervals at 10 fps take about 3 s of stream time.
        var span = (frames[30].Utc - frames[0].Utc).TotalSeconds;
        Assert.InRange(30 / span, 6, 14);
        Assert.Equal(frames.Select(f => f.Seconds).Order(), frames.Select(f => f.Seconds));
        Assert.Equal(0, read.Source.Counters.Reconnects);
    }

    [Fact]
    public async Task Rtsp_ServerKilledAndRestarted_TheSourceReconnectsAndGoesOn()
    {
        var truth = await TestMedia.Hd720();
        var server = await RtspServer.StartAsync(truth.Video);
        await using var read = new LiveRead(new FfmpegFrameSource(SourceUrl.Parse(RtspServer.Url(server)), Quick with { Fps = 10 }));
        await read.FramesAsync(10, 20);
        var ffmpeg = ((FfmpegFrameSource)read.Source).ProcessId!.Value;
        var port = server.Port;
        server.Dispose();
        await read.UntilAsync(() => read.Source.Counters.Reconnects >= 1, 10, "a reconnect attempt");
        Assert.False(ProcessTable.Exists(ffmpeg), "the ffmpeg of the dropped stream is still in the process table");
        using var restarted = await RtspServer.StartAsync(truth.Video, port);
        var before = read.Frames.Count;
        await read.FramesAsync(before + 10, 20);
        Assert.NotNull(read.Source.Counters.LastError);
        var frames = read.Frames;
        Assert.Equal(frames.Select(f => f.Index).Order(), frames.Select(f => f.Index));
    }

    [Fact]
    public async Task Mjpeg_DeliversFramesOfTheServedSize()
    {
        var truth = await TestMedia.Hd720();
        using var server = await MjpegServer.StartAsync(truth.Video, 640);
        await using var read = new LiveRead(new FfmpegFrameSource(SourceUrl.Parse(MjpegServer.Url(server)), Quick));
        Assert.Equal(SourceKind.HttpMjpeg, read.Source.Source.Kind);
        await read.FramesAsync(51, 20);
        var frames = read.Frames;
        Assert.All(frames, f => Assert.Equal((640, 360), (f.Width, f.Height)));
        // ffmpeg -re serves the 25 fps video in real time: never faster than that (a live source, not a file read
        // ahead), and not starved; the low end is loose because the serving ffmpeg shares a loaded CI machine (14.5 fps seen).
        Assert.InRange(50 / (frames[50].Utc - frames[0].Utc).TotalSeconds, 5, 35);
    }

    [Fact]
    public async Task Hls_DeliversFramesFromThePlaylistSegments()
    {
        var truth = await TestMedia.Hd720();
        var folder = Path.GetDirectoryName(TestMedia.TempFile("x"))!;
        var hls = Directory.CreateDirectory(Path.Combine(folder, "hls-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        await Ffmpeg.RunAsync(["-i", truth.Video, "-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod",
            "-hls_segment_filename", Path.Combine(hls, "seg%03d.ts"), Path.Combine(hls, "index.m3u8")]);
        using var http = new HttpTestServer([], files: hls);
        await using var read = new LiveRead(new FfmpegFrameSource(SourceUrl.Parse(http.Url("/files/index.m3u8")), Quick));
        Assert.Equal(SourceKind.Hls, read.Source.Source.Kind);
        await read.UntilAsync(() => read.Source.Counters.FramesDecoded >= truth.FrameCount, 60, "every frame of the playlist decoded");
        Assert.All(read.Frames, f => Assert.Equal((1280, 720), (f.Width, f.Height)));
        Assert.True(http.Requests > 2, "the playlist and its segments were fetched over HTTP");
    }

    [Fact]
    public async Task StalledStream_IsDetectedAndRestarted()
    {
        var truth = await TestMedia.Hd720();
        using var server = await MjpegServer.StartAsync(truth.Video, 320);
        await using var read = new LiveRead(new FfmpegFrameSource(SourceUrl.Parse(MjpegServer.Url(server)), Quick with { StallTimeout = TimeSpan.FromSeconds(1.5) }));
        await read.FramesAsync(10, 20);
        server.Freeze(); // the connection stays open, nothing more arrives
        await read.UntilAsync(() => read.Source.Counters.LastError?.Message.Contains("stalled") == true, 10, "the stall detected");
        await read.UntilAsync(() => read.Source.Counters.Reconnects >= 1, 5, "a restart after the stall");
        Assert.Contains("no frame for 1.5 s", read.Source.Counters.LastError!.Message);
    }

    [Fact]
    public async Task SlowConsumer_GetsFreshFramesAndCountedDropsNotABacklog()
    {
        var truth = await TestMedia.Hd720();
        using var server = await RtspServer.StartAsync(truth.Video);
        var behind = new List<long>();
        FfmpegFrameSource? source = null;
        // The consumer needs 200 ms per frame (5 fps) for a 25 fps stream.
        await using var read = new LiveRead(source = new FfmpegFrameSource(SourceUrl.Parse(RtspServer.Url(server)), Quick), async frame =>
        {
            // How many newer frames were decoded before this one was handed over: the backlog.
            lock (behind) behind.Add(source.Counters.FramesDecoded - 1 - frame.Index);
            await Task.Delay(200);
        });
        await read.FramesAsync(16, 30);
        var c = read.Source.Counters;
        Assert.True(c.FramesDropped >= 20, $"dropped {c.FramesDropped}");
        Assert.InRange(c.FramesDecoded - c.FramesDelivered - c.FramesDropped, 0, Quick.LiveQueueCapacity + 1);
        Assert.InRange(c.FrameBuffersAllocated, 1, Quick.LiveQueueCapacity + 4);
        lock (behind) Assert.InRange(behind.Max(), 0, Quick.LiveQueueCapacity + 1);
        var indices = read.Frames.Select(f => f.Index).ToList();
        Assert.True(indices.Zip(indices.Skip(1)).Any(p => p.Second - p.First > 1), "no frame was skipped");
    }

    [Fact]
    public async Task UnreachableCamera_IsRetriedWithBackoffAndNeverThrowsOrPrintsThePassword()
    {
        var port = ServerProcess.FreePort();
        await using var read = new LiveRead(new FfmpegFrameSource(SourceUrl.Parse($"rtsp://admin:hunter2@127.0.0.1:{port}/cam"), Quick));
        await read.UntilAsync(() => read.Source.Counters.Reconnects >= 2, 15, "two reconnect attempts");
        var error = read.Source.Counters.LastError!.Message;
        Assert.Contains("Connection refused", error);
        Assert.Contains("admin:***@127.0.0.1", error);
        Assert.DoesNotContain("hunter2", error);
        Assert.DoesNotContain("hunter2", read.Source.Source.ToString());
        Assert.Empty(read.Frames);
    }
}

/// <summary>Source tests run one at a time: they time real streams on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class SourceCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "video sources";
}
