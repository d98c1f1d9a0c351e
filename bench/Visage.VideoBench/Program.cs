using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Visage.Gallery;
using Visage.Hardware;
using Visage.Imaging;
using Visage.Models;
using Visage.Pipeline;
using Visage.Video.Tests.Media;
using Visage.Video.Watching;
using Visage.VideoBench;

// visage video bench: throughput (720p and 1080p H.264, tiny and ssd, files as fast as possible and a live 1080p25
// stream), latency to `identified`, and accuracy on generated videos against their ground truth.
//   dotnet run --project bench/Visage.VideoBench -c Release [-- --casts N]
var casts = args.Length == 2 && args[0] == "--casts" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 6;
var report = new StringBuilder();
void Say(string line)
{
    Console.WriteLine(line);
    report.AppendLine(line);
}

var timelines = Casts.Timelines(casts);
var store = new ModelStore();
store.EnsureAvailable(Console.Error);
using var models = new ModelRepository(store);
using var photos = new FaceAnalyzer(new FaceAnalyzerOptions(), models);
var folder = Directory.CreateTempSubdirectory("visage-video-bench-");
using var gallery = FaceGallery.Open(Path.Combine(folder.FullName, "gallery.db"), photos.ModelId);
var decoder = new ImageDecoder();
foreach (var known in timelines.SelectMany(Casts.Known))
{
    var person = gallery.GetOrCreatePerson(known.Label);
    foreach (var photo in known.Photos)
    {
        var bytes = File.ReadAllBytes(photo);
        if (photos.AnalyzeSubject(decoder.Decode(bytes)).Unambiguous is { } face) gallery.Enroll(person.Id, Convert.ToHexStringLower(SHA256.HashData(bytes)), face);
    }
}
var analyzers = new[] { "tiny", "ssd" }.ToDictionary(d => d, d => new FaceAnalyzer(new WatchOptions { Detector = d }.FrameAnalysis(new FaceAnalyzerOptions()), models));

Say($"CPU: {CpuInfo.Model}, {Environment.ProcessorCount} cores; load at start: {File.ReadAllText("/proc/loadavg").Trim()}");
Say($"gallery: {gallery.Count().Persons} persons ({casts} casts of 3 known people; their strangers not enrolled)");
Say("");
Say("| video | detector | read | fps | wall s | x real time | decoded/s | processed/s | dropped | cores | frame latency p50 / p95 ms | identify p50 / p95 ms | named | strangers named | events/appearance |");
Say("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
var hd720 = await TestVideo.CachedAsync(timelines[0], 1280, 720, 25);
var hd1080 = await TestVideo.CachedAsync(timelines[0], 1920, 1080, 25);
await Watch(hd720, "tiny", 10, live: false); // warm-up: sessions and caches, not reported
foreach (var (video, detector, live) in new[]
{
    (hd720, "tiny", false), (hd720, "ssd", false), (hd1080, "tiny", false), (hd1080, "ssd", false),
    (hd1080, "tiny", true), (hd1080, "ssd", true),
})
    Row(await Watch(video, detector, 10, live));

// The same photos as stills, through the photo pipeline and the same gallery: what recognition alone gets right,
// so that what the video loses (detection on frames, tracking, the decision from a few frames) shows apart.
var stillWrong = new HashSet<(string Label, bool Stranger)>();
foreach (var item in timelines.SelectMany(t => t.Items).DistinctBy(i => i.Photo))
{
    var subject = photos.AnalyzeSubject(decoder.DecodeFile(item.Photo)).Face;
    var name = subject?.Embedding is { } e ? Visage.Recognition.Recognizer.Identify(gallery, e).Name : null;
    if (item.Stranger ? name is not null : name != item.Label) stillWrong.Add((item.Label, item.Stranger));
}
Say("");
Say($"the drawn photos as stills (photo pipeline, same gallery): wrong for {stillWrong.Count} of {timelines.SelectMany(t => t.Items).DistinctBy(i => i.Photo).Count()} people: " +
    (stillWrong.Count == 0 ? "none" : string.Join(", ", stillWrong.Select(w => w.Stranger ? $"stranger {w.Label} named" : $"{w.Label} not named"))));
Say("");
Say($"accuracy on {casts} generated 720p videos ({casts * 5} known appearances, {casts} strangers), files at 10 fps:");
Say("");
Say("| detector | named correctly | of those named as stills | strangers named | events per appearance | tracks of unlisted faces | problems |");
Say("|---|---|---|---|---|---|---|");
foreach (var detector in new[] { "tiny", "ssd" })
{
    var runs = new List<VideoRun>();
    foreach (var timeline in timelines) runs.Add(await Watch(await TestVideo.CachedAsync(timeline, 1280, 720, 25), detector, 10, live: false));
    var named = runs.Sum(r => r.Score.NamedCorrectly);
    var known = runs.Sum(r => r.Score.Known);
    var problems = runs.SelectMany(r => r.Score.Problems).ToList();
    // Known appearances whose photo is recognized as a still, and how many of those the video named.
    var recognizable = runs.SelectMany(r => r.Truth.Appearances).Count(a => !a.Stranger && !stillWrong.Contains((a.Label, false)));
    var lost = problems.Count(p => !p.StartsWith("stranger", StringComparison.Ordinal) && !stillWrong.Any(w => !w.Stranger && p.StartsWith(w.Label + " at", StringComparison.Ordinal)));
    Say(FormattableString.Invariant(
        $"| {detector} | {named}/{known} = {(double)named / known:0.000} | {recognizable - lost}/{recognizable} = {(double)(recognizable - lost) / recognizable:0.000} | {runs.Sum(r => r.Score.StrangersNamed)}/{runs.Sum(r => r.Score.Strangers)} | {(double)runs.Sum(r => r.Score.Tracks - r.Score.Unmatched) / runs.Sum(r => r.Score.Appearances):0.000} | {runs.Sum(r => r.Score.Unmatched)} | {(problems.Count == 0 ? "none" : string.Join("; ", problems))} |"));
}
Say("");
Say($"load at end: {File.ReadAllText("/proc/loadavg").Trim()}");
File.WriteAllText(Path.Combine(folder.FullName, "report.md"), report.ToString());
foreach (var a in analyzers.Values) a.Dispose();
return 0;

Task<VideoRun> Watch(GroundTruth truth, string detector, double fps, bool live) =>
    VideoRun.WatchAsync(truth, analyzers[detector], gallery, detector, fps, live);

void Row(VideoRun r)
{
    static string P(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) return "-";
        var sorted = values.Order().ToList();
        return (sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)] * 1000).ToString("0", CultureInfo.InvariantCulture);
    }
    var s = r.Score;
    Say(FormattableString.Invariant(
        $"| {r.Truth.Width}x{r.Truth.Height} H.264 | {r.Detector} | {(r.Live ? "live 25 fps" : "file")} | {r.Fps} | {r.WallSeconds:0.0} | {r.RealTime:0.00} | {r.Decoded / r.WallSeconds:0.0} | {r.Processed / r.WallSeconds:0.0} | {r.Dropped} | {r.Cores:0.00} | {P(r.FrameLatencies, 0.5)} / {P(r.FrameLatencies, 0.95)} | {P(r.IdentifyLatencies, 0.5)} / {P(r.IdentifyLatencies, 0.95)} | {s.NamedCorrectly}/{s.Known} | {s.StrangersNamed}/{s.Strangers} | {s.EventsPerAppearance:0.00} |"));
}
