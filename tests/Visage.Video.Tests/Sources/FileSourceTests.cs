using Visage.Video.Sources;
using Visage.Video.Tests.Media;

namespace Visage.Video.Tests.Sources;

[Collection(SourceCollection.Name)]
public sealed class FileSourceTests
{
    [Fact]
    public async Task Mp4At720p_DeliversEveryFrameInOrderAtItsMediaTime()
    {
        var truth = await TestMedia.Hd720();
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video));
        var count = 0;
        await foreach (var frame in source.ReadAsync())
        {
            using (frame)
            {
                Assert.Equal((1280, 720), (frame.Image.Width, frame.Image.Height));
                Assert.Equal(count, frame.Index);
                Assert.Equal(count / (double)TestMedia.Fps, frame.Seconds, 9);
                Assert.Null(frame.WallClockUtc);
            }
            count++;
        }
        Assert.Equal(truth.FrameCount, count);
        Assert.Equal(count, source.Counters.FramesDecoded);
        Assert.Equal(count, source.Counters.FramesDelivered);
        Assert.Equal(0, source.Counters.FramesDropped);
        Assert.Equal(new MediaInfo(1280, 720, TestMedia.Fps, truth.Duration, "h264", "mov,mp4,m4a,3gp,3g2,mj2"),
            source.Media! with { DurationSeconds = Math.Round(source.Media!.DurationSeconds!.Value, 2) });
        // Frames go back to the pool: a handful of buffers serve the whole video.
        Assert.InRange(source.Counters.FrameBuffersAllocated, 1, 6);
    }

    [Fact]
    public async Task Hd1080_IsScaledToTheMaximumWidthAndLimitedToTheRequestedRate()
    {
        var truth = await TestMedia.Hd1080();
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video), new FfmpegSourceOptions { Fps = 5, MaxWidth = 1280 });
        var seconds = new List<double>();
        await foreach (var frame in source.ReadAsync())
            using (frame)
            {
                Assert.Equal((1280, 720), (frame.Image.Width, frame.Image.Height));
                seconds.Add(frame.Seconds);
            }
        Assert.Equal(truth.FrameCount / 5, seconds.Count);
        Assert.Equal(Enumerable.Range(0, seconds.Count).Select(k => k / 5.0), seconds);
    }

    [Theory]
    [InlineData(TestContainer.Mkv, "h264")]
    [InlineData(TestContainer.Mov, "h264")]
    [InlineData(TestContainer.Avi, "mpeg4")]
    public async Task OtherContainers_DeliverEveryFrame(TestContainer container, string codec)
    {
        var truth = await TestMedia.Hd720(container);
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video), new FfmpegSourceOptions { MaxWidth = 640 });
        var count = 0;
        await foreach (var frame in source.ReadAsync())
            using (frame)
            {
                Assert.Equal((640, 360), (frame.Image.Width, frame.Image.Height));
                count++;
            }
        Assert.Equal(truth.FrameCount, count);
        Assert.Equal(codec, source.Media!.Codec);
    }

    [Fact]
    public async Task GroundTruth_FaceBoxesShowThePhotoNotTheBackground()
    {
        var truth = await TestMedia.Hd720();
        var first = truth.Appearances[0];
        var during = (first.Start + first.End) / 2;
        var box = first.BoxAt(during);
        double? empty = null, withFace = null;
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video));
        await foreach (var frame in source.ReadAsync())
            using (frame)
            {
                if (!truth.At(frame.Seconds).Any() && empty is null) empty = Spread(frame, box);
                if (frame.Seconds >= during) { withFace = Spread(frame, box); break; }
            }
        // The plain background is smooth inside the box; a face photo is not.
        Assert.InRange(empty!.Value, 0, 12);
        Assert.True(withFace > 25, $"pixel spread inside the face box is {withFace:0.0}");
    }

    [Fact]
    public async Task TruncatedFile_FailsWithACorruptFileError()
    {
        var truth = await TestMedia.Hd720();
        var path = TestMedia.TempFile("truncated.mp4");
        await using (var input = File.OpenRead(truth.Video))
        await using (var output = File.Create(path))
        {
            var head = new byte[100_000];
            await input.ReadExactlyAsync(head);
            await output.WriteAsync(head);
        }
        var e = await ReadFailure(path);
        Assert.Equal(VideoSourceError.Corrupt, e.Error);
        Assert.Contains("not a readable video", e.Message);
        Assert.Contains("moov atom not found", e.Message);
    }

    [Fact]
    public async Task AudioOnlyFile_FailsWithANoVideoError()
    {
        var path = TestMedia.TempFile("tone.m4a");
        await Ffmpeg.RunAsync(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", path]);
        var e = await ReadFailure(path);
        Assert.Equal(VideoSourceError.NoVideo, e.Error);
        Assert.Contains("has no video stream", e.Message);
    }

    [Fact]
    public async Task UnknownCodec_FailsWithAnUnsupportedCodecError()
    {
        // An AVI whose codec tag no ffmpeg knows: the MPEG-4 stream's FourCC overwritten.
        var truth = await TestMedia.Hd720(TestContainer.Avi);
        var path = TestMedia.TempFile("unknown-codec.avi");
        var bytes = await File.ReadAllBytesAsync(truth.Video);
        var replaced = ReplaceAll(bytes, "FMP4"u8, "ZZZZ"u8);
        Assert.True(replaced > 0);
        await File.WriteAllBytesAsync(path, bytes);
        var e = await ReadFailure(path);
        Assert.Equal(VideoSourceError.UnsupportedCodec, e.Error);
        Assert.Contains("'ZZZZ' is not supported", e.Message);
    }

    [Fact]
    public async Task MissingFile_FailsWithANotFoundError()
    {
        var e = await ReadFailure(Path.Combine(Path.GetTempPath(), "no-such-video.mp4"));
        Assert.Equal(VideoSourceError.NotFound, e.Error);
    }

    [Fact]
    public async Task FfmpegNotInstalled_SaysHowToInstallIt()
    {
        var truth = await TestMedia.Hd720();
        var options = new FfmpegSourceOptions { FfmpegPath = "/nonexistent/ffmpeg", FfprobePath = "/nonexistent/ffprobe" };
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video), options);
        var e = await Assert.ThrowsAsync<VideoSourceException>(async () => { await foreach (var f in source.ReadAsync()) f.Dispose(); });
        Assert.Equal(VideoSourceError.FfmpegMissing, e.Error);
        Assert.Contains("apt-get install ffmpeg", e.Message);
    }

    [Fact]
    public async Task LeavingTheLoop_EndsAndReapsFfmpeg()
    {
        var truth = await TestMedia.Hd720();
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video));
        var pid = 0;
        await foreach (var frame in source.ReadAsync())
        {
            frame.Dispose();
            pid = source.ProcessId!.Value;
            if (frame.Index == 10) break;
        }
        Assert.True(pid > 0);
        Assert.False(ProcessTable.Exists(pid), "ffmpeg is still in the process table");
        Assert.Null(source.ProcessId);
    }

    [Fact]
    public async Task Cancelling_EndsAndReapsFfmpeg()
    {
        var truth = await TestMedia.Hd720();
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video));
        using var cts = new CancellationTokenSource();
        var pid = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var frame in source.ReadAsync(cts.Token))
            {
                frame.Dispose();
                pid = source.ProcessId ?? pid;
                if (frame.Index == 5) await cts.CancelAsync();
            }
        });
        Assert.False(ProcessTable.Exists(pid), "ffmpeg is still in the process table");
    }

    [Fact]
    public async Task DisposingWhileAnotherTaskReads_EndsTheReaderAndReapsFfmpeg()
    {
        var truth = await TestMedia.Hd720();
        var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video));
        var started = new TaskCompletionSource<int>();
        var reader = Task.Run(async () =>
        {
            await foreach (var frame in source.ReadAsync())
            {
                frame.Dispose();
                if (!started.Task.IsCompleted) started.TrySetResult(source.ProcessId!.Value);
            }
        });
        var pid = await started.Task;
        await source.DisposeAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader);
        Assert.False(ProcessTable.Exists(pid), "ffmpeg is still in the process table");
        Assert.DoesNotContain(pid, ProcessTable.ChildrenNamed("ffmpeg"));
    }

    [Fact]
    public async Task ASecondConcurrentReader_IsRefused()
    {
        var truth = await TestMedia.Hd720();
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video));
        await using var first = source.ReadAsync().GetAsyncEnumerator();
        Assert.True(await first.MoveNextAsync());
        first.Current.Dispose();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => { await foreach (var f in source.ReadAsync()) f.Dispose(); });
    }

    private static async Task<VideoSourceException> ReadFailure(string path)
    {
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(path));
        return await Assert.ThrowsAsync<VideoSourceException>(async () => { await foreach (var f in source.ReadAsync()) f.Dispose(); });
    }

    // Mean absolute deviation of the green channel inside the box.
    private static double Spread(VideoFrame frame, Visage.Faces.BoundingBox box)
    {
        var img = frame.Image;
        var values = new List<int>();
        for (var y = (int)box.Y; y < (int)box.Bottom; y += 2)
            for (var x = (int)box.X; x < (int)box.Right; x += 2)
                values.Add(img.Pixels[(y * img.Width + x) * 3 + 1]);
        var mean = values.Average();
        return values.Average(v => Math.Abs(v - mean));
    }

    private static int ReplaceAll(byte[] data, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        var count = 0;
        for (var i = data.AsSpan().IndexOf(from); i >= 0;)
        {
            to.CopyTo(data.AsSpan(i));
            count++;
            var next = data.AsSpan(i + from.Length).IndexOf(from);
            i = next < 0 ? -1 : i + from.Length + next;
        }
        return count;
    }
}
