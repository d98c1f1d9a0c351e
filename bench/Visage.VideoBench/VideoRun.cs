using System.Diagnostics;
using Visage.Gallery;
using Visage.Pipeline;
using Visage.Video.Sources;
using Visage.Video.Tests.Media;
using Visage.Video.Tracking;
using Visage.Video.Watching;

namespace Visage.VideoBench;

/// <summary>What one watched video measured.</summary>
/// <param name="Truth">The video.</param>
/// <param name="Detector">The detector on frames.</param>
/// <param name="Fps">Frames per second processed.</param>
/// <param name="Live">Read at the video's own rate (ffmpeg <c>-re</c>, as a camera delivers), else as fast as possible.</param>
/// <param name="WallSeconds">From start to end.</param>
/// <param name="Cores">CPU seconds per wall second, ffmpeg included.</param>
/// <param name="Decoded">Frames ffmpeg delivered (after its fps filter).</param>
/// <param name="Processed">Frames detected, tracked and decided.</param>
/// <param name="Dropped">Frames dropped because processing was behind (live only).</param>
/// <param name="FrameLatencies">Per frame: processing, plus the wait in the hand-off for live reads (seconds).</param>
/// <param name="IdentifyLatencies">Per appearance: from its first frame on screen to its <c>identified</c> event (live only; seconds).</param>
/// <param name="Score">The events scored against the ground truth.</param>
public sealed record VideoRun(GroundTruth Truth, string Detector, double Fps, bool Live, double WallSeconds, double Cores,
    long Decoded, long Processed, long Dropped, IReadOnlyList<double> FrameLatencies, IReadOnlyList<double> IdentifyLatencies, WatchScore Score)
{
    /// <summary>Media seconds watched per wall second.</summary>
    public double RealTime => Truth.Duration / WallSeconds;

    /// <summary>Watches <paramref name="truth"/> once.</summary>
    public static async Task<VideoRun> WatchAsync(GroundTruth truth, FaceAnalyzer analyzer, FaceGallery gallery, string detector, double fps, bool live)
    {
        var watcher = new FaceWatcher(analyzer, () => gallery, new WatchOptions { Camera = "bench", Detector = detector });
        await using var source = new FfmpegFrameSource(SourceUrl.Parse(truth.Video), new FfmpegSourceOptions { Fps = fps, Realtime = live });
        var events = new List<(AppearanceEvent Event, double At)>();
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        var origin = double.MaxValue; // wall seconds at which media time 0 was delivered: the earliest arrival any frame implies
        var cpu = CpuMeter.Now();
        await watcher.RunAsync(source,
            e => events.Add((e, clock.Elapsed.TotalSeconds)),
            frame =>
            {
                latencies.Add(frame.LatencySeconds);
                origin = Math.Min(origin, clock.Elapsed.TotalSeconds - frame.LatencySeconds - frame.Stamp.Seconds);
            });
        await source.DisposeAsync(); // reaps ffmpeg, so its CPU time is counted
        var wall = clock.Elapsed.TotalSeconds;
        var cores = CpuMeter.Now().CoresSince(cpu, wall);
        // ffmpeg delivers at most 1280 wide (FfmpegSourceOptions.MaxWidth): the ground truth is in the video's pixels.
        var score = WatchScore.Of(truth, events.Select(e => e.Event), Math.Min(1, 1280.0 / truth.Width));
        var identify = live
            ? events.Where(e => e.Event.Kind == AppearanceEventKind.Identified && score.Matched.ContainsKey(e.Event.Track))
                .GroupBy(e => score.Matched[e.Event.Track])
                .Select(g => g.Min(e => e.At) - (origin + g.Key.Start)).ToList()
            : [];
        return new VideoRun(truth, detector, fps, live, wall, cores, source.Counters.FramesDecoded, watcher.Counters.FramesProcessed,
            source.Counters.FramesDropped, latencies, identify, score);
    }
}
