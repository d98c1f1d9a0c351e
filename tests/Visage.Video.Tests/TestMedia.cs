using Visage.Video.Tests.Media;

namespace Visage.Video.Tests;

/// <summary>The generated videos the tests share (made once per machine, see <see cref="TestVideo.CachedAsync"/>).</summary>
public static class TestMedia
{
    /// <summary>Frames per second of every generated video.</summary>
    public const int Fps = 25;

    /// <summary>The standard timeline at 1280x720, H.264 in MP4.</summary>
    public static Task<GroundTruth> Hd720(TestContainer container = TestContainer.Mp4) =>
        TestVideo.CachedAsync(TestVideo.StandardTimeline(), 1280, 720, Fps, container);

    /// <summary>The standard timeline at 1920x1080, H.264 in MP4.</summary>
    public static Task<GroundTruth> Hd1080() => TestVideo.CachedAsync(TestVideo.StandardTimeline(), 1920, 1080, Fps);

    /// <summary>A file in a fresh temp folder of the test run.</summary>
    public static string TempFile(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "visage-video-tests", Environment.ProcessId.ToString());
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"{Guid.NewGuid():N}-{name}");
    }
}
