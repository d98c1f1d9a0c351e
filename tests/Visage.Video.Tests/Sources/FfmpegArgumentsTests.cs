using Visage.Video.Sources;

namespace Visage.Video.Tests.Sources;

public sealed class FfmpegArgumentsTests
{
    [Fact]
    public void Device_IsReadThroughVideo4Linux2()
    {
        var args = Build(SourceUrl.Parse("/dev/video0"), new FfmpegSourceOptions { Fps = 10 });
        Assert.Equal(["-f", "v4l2", "-i", "/dev/video0"], Slice(args, args.IndexOf("-f"), 4));
        Assert.Equal(["-fps_mode", "vfr", "-r", "10"], Slice(args, args.IndexOf("-fps_mode"), 4));
        Assert.Equal(["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], args.TakeLast(5));
    }

    [Theory]
    [InlineData(RtspTransport.Tcp, "tcp")]
    [InlineData(RtspTransport.Udp, "udp")]
    public void Rtsp_ChoosesTheTransportBeforeTheInput(RtspTransport transport, string name)
    {
        var args = Build(SourceUrl.Parse("rtsp://u:p@cam/live"), new FfmpegSourceOptions { RtspTransport = transport });
        var i = args.IndexOf("-rtsp_transport");
        Assert.Equal(name, args[i + 1]);
        Assert.True(i < args.IndexOf("-i"));
        Assert.Contains("rtsp://u:p@cam/live", args);
        Assert.DoesNotContain("-fps_mode", args); // no limit asked
    }

    [Fact]
    public void File_UsesTheFpsFilterForAConstantRateAndScalesToTheMaximum()
    {
        var args = Build(SourceUrl.Parse("/v/door.mp4"), new FfmpegSourceOptions { MaxWidth = 1920, MaxHeight = 1080 }, fileFps: 12.5);
        Assert.Equal("fps=12.5,scale=w='min(iw,1920)':h='min(ih,1080)':force_original_aspect_ratio=decrease:flags=area", args[args.IndexOf("-vf") + 1]);
        Assert.DoesNotContain("-re", args);
        Assert.Contains("-re", Build(SourceUrl.Parse("/v/door.mp4"), new FfmpegSourceOptions { Realtime = true }, 25));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1000)]
    public void Options_RefuseAnImpossibleRate(double fps) =>
        Assert.Throws<ArgumentException>(() => new FfmpegFrameSource(SourceUrl.Parse("/v/door.mp4"), new FfmpegSourceOptions { Fps = fps }));

    [Fact]
    public void SnapshotUrls_AreNotForFfmpeg() =>
        Assert.Throws<ArgumentException>(() => new FfmpegFrameSource(SourceUrl.Parse("http://cam/snapshot.jpg")));

    private static List<string> Build(SourceUrl source, FfmpegSourceOptions options, double? fileFps = null) =>
        FfmpegArguments.Build(source, options, fileFps).ToList();

    private static string[] Slice(IReadOnlyList<string> args, int start, int count) => args.Skip(start).Take(count).ToArray();
}
