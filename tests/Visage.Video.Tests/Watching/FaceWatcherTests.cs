using Visage.Video.Sources;
using Visage.Video.Tests.Media;
using Visage.Video.Tests.Servers;
using Visage.Video.Tracking;
using Visage.Video.Watching;

namespace Visage.Video.Tests.Watching;

[Collection(WatchCollection.Name)]
public sealed class FaceWatcherTests(WatchFixture fixture)
{
    private static readonly FfmpegSourceOptions Quick = new()
    {
        StallTimeout = TimeSpan.FromSeconds(3),
        ReconnectDelay = TimeSpan.FromSeconds(0.2),
        MaxReconnectDelay = TimeSpan.FromSeconds(1),
    };

    [Theory]
    [InlineData("tiny")]
    [InlineData("ssd")]
    public async Task File_EveryAppearanceNamedOnce_StrangerUnknown(string detector)
    {
        var truth = await TestMedia.Hd720();
        var sink = new InMemoryAppearanceSink();
        var watcher = fixture.Watcher(new WatchOptions { Camera = "door", Detector = detector }, sink);
        var events = new List<AppearanceEvent>();
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video), new FfmpegSourceOptions { Fps = 10 });

        await watcher.RunAsync(source, events.Add);

        var score = WatchScore.Of(truth, events);
        Assert.True(score.Problems.Count == 0, string.Join('\n', score.Problems));
        Assert.Equal(score.Known, score.NamedCorrectly);
        Assert.Equal(0, score.StrangersNamed);
        Assert.Equal(truth.Appearances.Count, score.Tracks);
        Assert.All(events, e => Assert.Equal("door", e.Camera));
        Assert.Equal(10 * truth.Duration, watcher.Counters.FramesProcessed, 2.0);
        Assert.Equal(0, source.Counters.FramesDropped);
    }

    [Fact]
    public async Task File_EachAppearanceReachesTheSinkWithItsBestFace()
    {
        var truth = await TestMedia.Hd720();
        var sink = new InMemoryAppearanceSink();
        var watcher = fixture.Watcher(new WatchOptions { Camera = "hall" }, sink);
        var events = new List<AppearanceEvent>();
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video), new FfmpegSourceOptions { Fps = 10 });

        await watcher.RunAsync(source, events.Add);

        var left = events.Where(e => e.Kind == AppearanceEventKind.Left).ToList();
        var stored = sink.Snapshot();
        Assert.Equal(left.Select(e => e.Track), stored.Select(a => a.Left.Track));
        Assert.All(stored, a =>
        {
            Assert.Equal("hall", a.Camera);
            Assert.Equal([0xFF, 0xD8], a.Thumbnail.Take(2)); // a JPEG
            Assert.NotNull(a.BestFace.Embedding);
            Assert.Equal(fixture.Gallery.ModelId, a.BestFace.Embedding!.ModelId);
            Assert.NotEmpty(a.Descriptors);
            Assert.True(a.End.Seconds > a.Start.Seconds);
            Assert.InRange(a.BestFace.Box.Height, 40, 720);
        });
        Assert.Equal(truth.Appearances.Count(x => !x.Stranger), stored.Count(a => a.Decision.IsKnown));
        Assert.Equal(watcher.Counters.Left, stored.Count);
    }

    [Fact]
    public async Task Rtsp_ServerKilledMidStream_TheWatcherReconnectsAndGoesOn()
    {
        var truth = await TestMedia.Hd720();
        var server = await RtspServer.StartAsync(truth.Video);
        var port = server.Port;
        var source = new FfmpegFrameSource(SourceUrl.Parse(RtspServer.Url(server)), Quick with { Fps = 10 });
        await using var live = new LiveWatch(fixture.Watcher(new WatchOptions { Camera = "rtsp" }), source);
        var first = truth.Appearances[0].Label;
        await live.UntilAsync(() => live.Identified.Contains(first), 30, $"{first} identified");

        var ffmpeg = source.ProcessId!.Value;
        server.Dispose();
        await live.UntilAsync(() => source.Counters.Reconnects >= 1, 15, "a reconnect attempt");
        Assert.False(ProcessTable.Exists(ffmpeg), "the ffmpeg of the dropped stream is still in the process table");
        using var restarted = await RtspServer.StartAsync(truth.Video, port);
        var identifiedBefore = live.Identified.Count;
        // The restarted server plays the video from its start: the first person walks past again and is named again.
        await live.UntilAsync(() => live.Identified.Skip(identifiedBefore).Contains(first), 40, $"{first} identified after the reconnect");
        Assert.DoesNotContain(live.Identified, name => name is not null && !fixture.Enrolled.Contains(name));
    }

    [Fact]
    public async Task Mjpeg_TheFirstPersonIsNamed()
    {
        var truth = await TestMedia.Hd720();
        using var server = await MjpegServer.StartAsync(truth.Video, 960);
        var source = new FfmpegFrameSource(SourceUrl.Parse(MjpegServer.Url(server)), Quick with { Fps = 10 });
        await using var live = new LiveWatch(fixture.Watcher(new WatchOptions { Camera = "mjpeg" }), source);
        var first = truth.Appearances[0].Label;
        await live.UntilAsync(() => live.Identified.Contains(first), 30, $"{first} identified");
        Assert.Equal(first, live.Identified[0]);
    }

    [Fact]
    public async Task FourK_IsScaledDownByFfmpeg_AndThePersonNamed()
    {
        // A short 4K clip of the first known person walking past (made once per machine, 10 fps to keep it cheap).
        var standard = TestVideo.StandardTimeline();
        var truth = await TestVideo.CachedAsync(new VideoTimeline(4, [standard.Items[0] with { Start = 0.5, End = 3.5 }]), 3840, 2160, 10);
        var events = new List<AppearanceEvent>();
        var sizes = new HashSet<(int, int)>();
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video), new FfmpegSourceOptions { Fps = 10 });

        await fixture.Watcher(new WatchOptions { Camera = "4k" }).RunAsync(source, events.Add, frame => sizes.Add((frame.Image.Width, frame.Image.Height)));

        Assert.Equal([(1280, 720)], sizes);
        var score = WatchScore.Of(truth, events, 1280.0 / 3840);
        Assert.True(score.Problems.Count == 0, string.Join('\n', score.Problems));
        Assert.Equal(1, score.NamedCorrectly);
    }

    [Fact]
    public void ThoroughAnalyzer_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new FaceWatcher(fixture.Photos, () => fixture.Gallery));
        Assert.Contains(nameof(WatchOptions.FrameAnalysis), error.Message);
    }
}
