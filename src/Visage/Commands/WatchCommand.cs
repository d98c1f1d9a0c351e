using System.CommandLine;
using Visage.Cli;
using Visage.Detection;
using Visage.Matching;
using Visage.Pipeline;
using Visage.Video.Sources;
using Visage.Video.Watching;

namespace Visage.Commands;

/// <summary>
/// <c>visage watch SOURCE</c>: faces in a video file, a stream or a camera, followed and named once per appearance.
/// A file is read as fast as the CPU allows and the command ends with a summary; a live source runs until Ctrl+C.
/// </summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "Video file, rtsp:// or http(s):// stream, snapshot URL, or /dev/videoN" };
        var camera = new Option<string?>("--camera") { Description = "Name of the camera in events (default: the file name or the host)" };
        var fps = new Option<double>("--fps") { Description = "Frames per second to process (0: every frame)", DefaultValueFactory = _ => 10 };
        var detector = new Option<string>("--detector") { Description = "Face detector on frames: tiny (fast) or ssd (accurate)", DefaultValueFactory = _ => TinyFaceDetector.DetectorName };
        detector.AcceptOnlyFromAmong(TinyFaceDetector.DetectorName, SsdMobileNetV1Detector.DetectorName);
        var json = new Option<bool>("--json") { Description = "Print each event as one JSON line" };
        var annotate = new Option<string?>("--annotate") { Description = "Write the processed frames with boxes and names as a video (H.264, e.g. out.mp4)" };
        var webhook = new Option<string?>("--webhook") { Description = "POST each event as JSON to this URL (retried, never blocking the watcher)" };
        var threshold = new Option<float?>("--threshold") { Description = $"A face is a known person only when closer than this (lower is stricter; default {MatchingOptions.DefaultThreshold:0.00})" };
        var gallery = new GalleryOption();
        var command = new Command("watch", "Name the faces in a video or camera stream, one event per appearance") { source, camera, fps, detector, json, annotate, webhook, threshold };
        gallery.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var url = Parse(r.GetValue(source)!);
            var rate = r.GetValue(fps);
            if (!(rate >= 0 && rate <= 240)) throw new CliException(ExitCodes.Usage, $"--fps must be in [0, 240], got {rate}");
            var options = new WatchOptions
            {
                Camera = r.GetValue(camera) ?? DefaultName(url),
                Detector = r.GetValue(detector)!,
                Matching = r.GetValue(threshold) is { } t ? new MatchingOptions { Threshold = t } : null,
            };
            options.Validate();
            using var analyzer = new FaceAnalyzer(options.FrameAnalysis(new FaceAnalyzerOptions()));
            using var faces = gallery.Open(r, analyzer.ModelId);
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler cancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
            Console.CancelKeyPress += cancel;
            try
            {
                return WatchAsync(url, rate > 0 ? rate : null, options, analyzer, faces, r.GetValue(json), r.GetValue(annotate), r.GetValue(webhook), stop.Token)
                    .GetAwaiter().GetResult();
            }
            finally
            {
                Console.CancelKeyPress -= cancel;
            }
        }));
        return command;
    }

    private static async Task<int> WatchAsync(SourceUrl url, double? fps, WatchOptions options, FaceAnalyzer analyzer, Gallery.FaceGallery gallery,
        bool json, string? annotate, string? webhookUrl, CancellationToken cancellationToken)
    {
        await using var webhook = webhookUrl is null ? null : new WebhookSender(Checked(webhookUrl), log: m => Console.Error.WriteLine($"visage: warning: {m}"));
        await using var source = FrameSources.Open(url, fps);
        var watcher = new FaceWatcher(analyzer, () => gallery, options, failed: e => Console.Error.WriteLine($"visage: warning: {e.Message}"));
        var console = new WatchConsole(json, source, watcher);
        using var monitor = new Timer(_ => console.CheckSource(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        AnnotatedVideoWriter? writer = null;
        try
        {
            await watcher.RunAsync(source,
                e =>
                {
                    console.Event(e);
                    webhook?.Post(e.ToJson());
                },
                frame =>
                {
                    console.Frame(frame);
                    if (annotate is null) return;
                    writer ??= AnnotatedVideoWriter.Start(annotate, frame.Image.Width, frame.Image.Height, fps ?? (source as FfmpegFrameSource)?.Media?.Fps ?? 10);
                    writer.Write(frame.Annotated());
                },
                cancellationToken);
            if (writer is not null) await writer.FinishAsync();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the open appearances were closed; the summary follows.
        }
        catch (IOException e) when (writer is not null)
        {
            // The encoder of --annotate stopped (a full disk, an unwritable path): its own message says why.
            throw new CliException(ExitCodes.Failure, e.Message);
        }
        finally
        {
            if (writer is not null) await writer.DisposeAsync();
        }
        if (webhook is not null) await webhook.DrainAsync(TimeSpan.FromSeconds(10));
        console.Summary();
        return ExitCodes.Ok;
    }

    private static SourceUrl Parse(string source)
    {
        try
        {
            return SourceUrl.Parse(source);
        }
        catch (ArgumentException e)
        {
            throw new CliException(ExitCodes.Usage, e.Message);
        }
    }

    private static string Checked(string webhook)
    {
        try
        {
            WebhookSender.Parse(webhook);
            return webhook;
        }
        catch (ArgumentException e)
        {
            throw new CliException(ExitCodes.Usage, e.Message);
        }
    }

    /// <summary>A file's name without extension, a URL's host, a device's name.</summary>
    private static string DefaultName(SourceUrl url) => url.Kind switch
    {
        SourceKind.File or SourceKind.Device => Path.GetFileNameWithoutExtension(url.WithoutCredentials),
        _ => Uri.TryCreate(url.WithoutCredentials, UriKind.Absolute, out var u) ? u.Host : "camera",
    };
}
