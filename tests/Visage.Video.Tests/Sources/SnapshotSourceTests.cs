using Visage.Tests;
using Visage.Video.Sources;
using Visage.Video.Tests.Servers;

namespace Visage.Video.Tests.Sources;

[Collection(SourceCollection.Name)]
public sealed class SnapshotSourceTests
{
    private static readonly string Photo = Path.Combine(TestData.Faces, "Barack_Obama", "Barack_Obama_0001.jpg");

    private static readonly SnapshotSourceOptions Quick = new()
    {
        Interval = TimeSpan.FromSeconds(0.1),
        RequestTimeout = TimeSpan.FromSeconds(1),
        RetryDelay = TimeSpan.FromSeconds(0.1),
        MaxRetryDelay = TimeSpan.FromSeconds(0.3),
    };

    // For the tests that count no error: a digest round trip and a 1 MP decode may take over a second on a loaded machine.
    private static readonly SnapshotSourceOptions Patient = Quick with { RequestTimeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData("open", false)]
    [InlineData("basic", true)]
    [InlineData("digest", true)]
    public async Task Snapshots_AreFetchedAndDecodedAtTheInterval(string auth, bool credentials)
    {
        using var server = new HttpTestServer(File.ReadAllBytes(Photo));
        var userInfo = credentials ? $"{server.User}:{Uri.EscapeDataString(server.Password)}" : null;
        var url = SourceUrl.Parse(server.Url($"/{auth}/snapshot.jpg", userInfo));
        Assert.Equal(SourceKind.Snapshot, url.Kind);
        await using var read = new LiveRead(new SnapshotFrameSource(url, Patient));
        await read.FramesAsync(5, 10);
        Assert.All(read.Frames, f => Assert.Equal((910, 1137), (f.Width, f.Height)));
        var frames = read.Frames;
        Assert.Equal(Enumerable.Range(0, frames.Count).Select(i => (long)i), frames.Select(f => f.Index));
        // Fetches start about an interval apart and never stack, as the camera saw them. Without pacing they would come
        // a loopback round trip apart (milliseconds); half the interval on average leaves room for a loaded machine.
        var starts = server.FetchStarts;
        var span = System.Diagnostics.Stopwatch.GetElapsedTime(starts[0], starts[^1]).TotalSeconds;
        Assert.True(span >= (starts.Count - 1) * 0.1 * 0.5, $"{starts.Count} fetches in {span:0.000} s");
        Assert.Equal(1, server.MostSnapshotsAtOnce);
        Assert.Equal(0, read.Source.Counters.Errors);
    }

    [Fact]
    public async Task CredentialsGivenApart_AnswerTheDigestChallenge()
    {
        using var server = new HttpTestServer(File.ReadAllBytes(Photo));
        var url = SourceUrl.Parse(server.Url("/digest/latest.jpg"), new System.Net.NetworkCredential(server.User, server.Password));
        await using var read = new LiveRead(new SnapshotFrameSource(url, Quick));
        await read.FramesAsync(2, 10);
    }

    [Fact]
    public async Task WrongPassword_IsCountedAndRetriedNeverThrownAndNeverPrinted()
    {
        using var server = new HttpTestServer(File.ReadAllBytes(Photo));
        var url = SourceUrl.Parse(server.Url("/digest/snapshot.jpg", $"{server.User}:wrong-Pa55word"));
        await using var read = new LiveRead(new SnapshotFrameSource(url, Quick));
        await read.UntilAsync(() => read.Source.Counters.Errors >= 3, 10, "three failed requests");
        var error = read.Source.Counters.LastError!.Message;
        Assert.Contains("HTTP 401", error);
        Assert.Contains("check the user name and password", error);
        Assert.DoesNotContain("wrong-Pa55word", error);
        Assert.DoesNotContain("wrong-Pa55word", url.ToString());
        Assert.Empty(read.Frames);
    }

    [Theory]
    [InlineData(SnapshotBehaviour.Slow, "no answer within 1 s")]
    [InlineData(SnapshotBehaviour.NotAnImage, "not a usable image")]
    [InlineData(SnapshotBehaviour.ServerError, "HTTP 503")]
    public async Task AFailingCamera_IsCountedThenRecoversWhenItAnswersAgain(SnapshotBehaviour failure, string message)
    {
        using var server = new HttpTestServer(File.ReadAllBytes(Photo)) { Behaviour = failure };
        await using var read = new LiveRead(new SnapshotFrameSource(SourceUrl.Parse(server.Url("/open/snapshot.jpg")), Quick));
        await read.UntilAsync(() => read.Source.Counters.Errors >= 1, 10, "a failure counted");
        Assert.Contains(message, read.Source.Counters.LastError!.Message);
        Assert.Empty(read.Frames);
        server.Behaviour = SnapshotBehaviour.Image;
        await read.FramesAsync(2, 10);
    }
}
