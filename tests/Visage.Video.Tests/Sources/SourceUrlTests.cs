using System.Net;
using Visage.Video.Sources;

namespace Visage.Video.Tests.Sources;

public sealed class SourceUrlTests
{
    [Theory]
    [InlineData("/videos/door.mp4", SourceKind.File)]
    [InlineData("recordings/night.mkv", SourceKind.File)]
    [InlineData("file:///videos/door.mov", SourceKind.File)]
    [InlineData("/dev/video0", SourceKind.Device)]
    [InlineData("rtsp://cam.local:554/stream1", SourceKind.Rtsp)]
    [InlineData("rtsps://cam.local/stream1", SourceKind.Rtsp)]
    [InlineData("http://cam.local/video.mjpg", SourceKind.HttpMjpeg)]
    [InlineData("http://cam.local/cgi-bin/mjpg/video.cgi", SourceKind.HttpMjpeg)]
    [InlineData("https://cdn.example/live/cam.m3u8", SourceKind.Hls)]
    [InlineData("http://nvr.local/api/front/latest.jpg", SourceKind.Snapshot)]
    [InlineData("http://cam.local/cgi-bin/snapshot.cgi?channel=1", SourceKind.Snapshot)]
    [InlineData("http://cam.local/snap.jpeg", SourceKind.Snapshot)]
    public void Parse_TellsTheKind(string source, SourceKind kind) => Assert.Equal(kind, SourceUrl.Parse(source).Kind);

    [Fact]
    public void Parse_ForcedKindWins() =>
        Assert.Equal(SourceKind.Snapshot, SourceUrl.Parse("http://cam.local/image", kind: SourceKind.Snapshot).Kind);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ftp://cam.local/x.mp4")]
    public void Parse_RefusesWhatNoReaderHandles(string source) => Assert.Throws<ArgumentException>(() => SourceUrl.Parse(source));

    [Fact]
    public void UserInfo_BecomesCredentialsAndIsMaskedEverywhere()
    {
        var url = SourceUrl.Parse("rtsp://admin:p%40ss:w0rd@10.0.0.5:554/h264?channel=1");
        Assert.Equal(("admin", "p@ss:w0rd"), (url.Credentials!.UserName, url.Credentials.Password));
        Assert.Equal("rtsp://admin:***@10.0.0.5:554/h264?channel=1", url.ToString());
        Assert.Equal("rtsp://10.0.0.5:554/h264?channel=1", url.WithoutCredentials);
        Assert.Equal("rtsp://admin:p%40ss%3Aw0rd@10.0.0.5:554/h264?channel=1", url.WithCredentialsInline());
    }

    [Fact]
    public void CredentialsGivenApart_AreInlinedForFfmpegAndNeverShown()
    {
        var url = SourceUrl.Parse("rtsp://10.0.0.5/live", new NetworkCredential("viewer", "t0p-secret"));
        Assert.Equal("rtsp://viewer:t0p-secret@10.0.0.5/live", url.WithCredentialsInline());
        Assert.DoesNotContain("t0p-secret", url.ToString());
        Assert.Equal("[error] rtsp://viewer:***@10.0.0.5/live: 401 (***)",
            SourceUrl.MaskText("[error] rtsp://viewer:t0p-secret@10.0.0.5/live: 401 (t0p-secret)", url.Credentials));
    }

    [Theory]
    [InlineData("http://cam/snapshot.cgi?user=admin&password=abc123&channel=2", "http://cam/snapshot.cgi?user=admin&password=***&channel=2")]
    [InlineData("http://cam/video.mjpg?pwd=abc123", "http://cam/video.mjpg?pwd=***")]
    [InlineData("failed: rtsp://u:abc123@host/x and http://v:abc123@other/y", "failed: rtsp://u:***@host/x and http://v:***@other/y")]
    [InlineData("http://cam/video.mjpg?resolution=640", "http://cam/video.mjpg?resolution=640")]
    public void MaskText_HidesUserInfoAndSecretQueryValues(string text, string masked) =>
        Assert.Equal(masked, SourceUrl.MaskText(text));
}
