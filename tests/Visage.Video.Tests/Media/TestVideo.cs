using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SkiaSharp;
using Visage.Faces;
using Visage.Imaging;

namespace Visage.Video.Tests.Media;

/// <summary>Containers (and codecs) a test video can be written in.</summary>
public enum TestContainer
{
    /// <summary>H.264 in MP4 (the camera-recording default).</summary>
    Mp4,

    /// <summary>H.264 in Matroska.</summary>
    Mkv,

    /// <summary>H.264 in QuickTime.</summary>
    Mov,

    /// <summary>MPEG-4 part 2 in AVI (the old DVR format).</summary>
    Avi,
}

/// <summary>
/// Makes test videos from the shared photos with a known timeline: SkiaSharp draws each frame (photos placed,
/// panned and zoomed over a plain room-like background) and ffmpeg encodes it (libx264, yuv420p). The ground truth
/// — who is on screen from when to when and where the face is — is written as JSON beside the video
/// (<see cref="GroundTruth"/>). <see cref="CachedAsync"/> keeps one copy per timeline and format for the test run.
/// </summary>
public static class TestVideo
{
    /// <summary>Bumped whenever the drawing changes, so cached videos are made again.</summary>
    private const int GeneratorVersion = 1;

    private static readonly ConcurrentDictionary<string, Lazy<Task<GroundTruth>>> Made = new();

    /// <summary>Folder of the cached test media (a temp folder, shared by the test projects of one machine).</summary>
    public static string CacheFolder { get; } = Path.Combine(Path.GetTempPath(), "visage-test-media");

    /// <summary>The standard timeline (<see cref="VideoTimeline.Standard"/>) with the default cast of the shared photos.</summary>
    public static VideoTimeline StandardTimeline()
    {
        var photos = ReferenceFaces.OneFacePhotos();
        return VideoTimeline.Standard([photos[4], photos[24], photos[38]], photos[19]);
    }

    /// <summary>Draws and encodes a video, and writes its ground truth beside it.</summary>
    /// <param name="timeline">Who is on screen when.</param>
    /// <param name="width">Frame width (even).</param>
    /// <param name="height">Frame height (even).</param>
    /// <param name="fps">Frames per second.</param>
    /// <param name="path">The video file to write (its extension does not choose the format: <paramref name="container"/> does).</param>
    /// <param name="container">Container and codec.</param>
    /// <param name="cancellationToken">Stops the encoder.</param>
    public static async Task<GroundTruth> GenerateAsync(VideoTimeline timeline, int width, int height, int fps, string path,
        TestContainer container = TestContainer.Mp4, CancellationToken cancellationToken = default)
    {
        if (width % 2 != 0 || height % 2 != 0) throw new ArgumentException($"H.264 in yuv420p needs an even size, got {width}x{height}");
        var photos = timeline.Items.Select(i => i.Photo).Distinct().ToDictionary(p => p, LoadPhoto);
        var frames = (int)Math.Round(timeline.Duration * fps);
        using var encoder = Ffmpeg.Start(["-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgba", "-s", $"{width}x{height}", "-r", $"{fps}", "-i", "pipe:0",
            .. Codec(container, fps), path]);
        var errors = encoder.StandardError.ReadToEndAsync(cancellationToken);
        using (var background = Background(width, height))
        using (var frame = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        using (var canvas = new SKCanvas(frame))
        {
            var stdin = encoder.StandardInput.BaseStream;
            for (var k = 0; k < frames; k++)
            {
                var t = (double)k / fps;
                canvas.DrawImage(background, 0, 0, SKSamplingOptions.Default, null);
                foreach (var item in timeline.OnScreen(t))
                    canvas.DrawImage(photos[item.Photo], PhotoRect(item.At(t), photos[item.Photo], width, height), new SKSamplingOptions(SKFilterMode.Linear), null);
                canvas.Flush();
                cancellationToken.ThrowIfCancellationRequested();
                stdin.Write(frame.GetPixelSpan());
            }
            stdin.Close();
        }
        await encoder.WaitForExitAsync(cancellationToken);
        if (encoder.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not encode {path}: {await errors}");

        var truth = new GroundTruth(path, width, height, fps, frames, timeline.Items.OrderBy(i => i.Start).Select(item =>
        {
            var photo = photos[item.Photo];
            var face = ReferenceFaces.Of(item.Photo) is [var only] ? only : new BoundingBox(0, 0, photo.Width, photo.Height);
            return new TruthAppearance(item.Label, item.Stranger, item.Start, item.End,
                FaceOnScreen(face, PhotoRect(item.From, photo, width, height), photo), FaceOnScreen(face, PhotoRect(item.To, photo, width, height), photo), item.Photo);
        }).ToList());
        foreach (var p in photos.Values) p.Dispose();
        truth.Save();
        return truth;
    }

    /// <summary>
    /// The video of <paramref name="timeline"/> in this format, made once per machine (cached under
    /// <see cref="CacheFolder"/>, keyed by the timeline, format and generator version) and once per process.
    /// </summary>
    public static Task<GroundTruth> CachedAsync(VideoTimeline timeline, int width, int height, int fps, TestContainer container = TestContainer.Mp4)
    {
        var key = Key(timeline, width, height, fps, container);
        return Made.GetOrAdd(key, k => new Lazy<Task<GroundTruth>>(async () =>
        {
            Directory.CreateDirectory(CacheFolder);
            var path = Path.Combine(CacheFolder, $"{k}.{container.ToString().ToLowerInvariant()}");
            if (File.Exists(path) && File.Exists(GroundTruth.PathFor(path))) return GroundTruth.Load(path);
            // Written under a temporary name and moved: a second test process never reads half a video.
            var temp = Path.Combine(CacheFolder, $"{k}.{Environment.ProcessId}.tmp.{container.ToString().ToLowerInvariant()}");
            var truth = container is TestContainer.Mp4
                ? await GenerateAsync(timeline, width, height, fps, temp, container)
                : await ConvertAsync(await CachedAsync(timeline, width, height, fps), temp, container);
            File.Move(GroundTruth.PathFor(temp), GroundTruth.PathFor(path), overwrite: true);
            File.Move(temp, path, overwrite: true);
            var moved = truth with { Video = path };
            moved.Save();
            return moved;
        })).Value;
    }

    /// <summary>
    /// The same video in another container: MKV and MOV copy the H.264 stream, AVI re-encodes it as MPEG-4 part 2.
    /// The ground truth is the source's, pointed at the new file.
    /// </summary>
    public static async Task<GroundTruth> ConvertAsync(GroundTruth source, string path, TestContainer container, CancellationToken cancellationToken = default)
    {
        string[] codec = container == TestContainer.Avi ? Codec(container, source.Fps) : ["-c:v", "copy", "-f", container == TestContainer.Mkv ? "matroska" : container == TestContainer.Mov ? "mov" : "mp4"];
        await Ffmpeg.RunAsync(["-i", source.Video, "-an", .. codec, path], cancellationToken);
        var truth = source with { Video = path };
        truth.Save();
        return truth;
    }

    private static string[] Codec(TestContainer container, int fps) => container switch
    {
        TestContainer.Avi => ["-c:v", "mpeg4", "-q:v", "4", "-f", "avi"],
        _ => ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-g", $"{2 * fps}",
              "-f", container switch { TestContainer.Mkv => "matroska", TestContainer.Mov => "mov", _ => "mp4" }],
    };

    private static string Key(VideoTimeline timeline, int width, int height, int fps, TestContainer container)
    {
        var text = JsonSerializer.Serialize(new { GeneratorVersion, timeline, width, height, fps, container });
        return $"{width}x{height}-{fps}-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    private static SKImage LoadPhoto(string path)
    {
        var rgb = new ImageDecoder().DecodeFile(path);
        var rgba = new byte[rgb.Width * rgb.Height * 4];
        for (int i = 0, j = 0; i < rgb.Pixels.Length; i += 3, j += 4)
        {
            rgba[j] = rgb.Pixels[i];
            rgba[j + 1] = rgb.Pixels[i + 1];
            rgba[j + 2] = rgb.Pixels[i + 2];
            rgba[j + 3] = 255;
        }
        return SKImage.FromPixelCopy(new SKImageInfo(rgb.Width, rgb.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba);
    }

    private static SKRect PhotoRect(Placement p, SKImage photo, int width, int height)
    {
        var h = (float)(p.Height * height);
        var w = h * photo.Width / photo.Height;
        var cx = (float)(p.CenterX * width);
        var cy = (float)(p.CenterY * height);
        return new SKRect(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }

    private static BoundingBox FaceOnScreen(BoundingBox face, SKRect rect, SKImage photo)
    {
        var s = rect.Height / photo.Height;
        return new BoundingBox(rect.Left + face.X * s, rect.Top + face.Y * s, face.Width * s, face.Height * s);
    }

    // A plain room: a wall gradient, a floor and two dark shapes, so the encoder has some texture and nothing face-like.
    private static SKImage Background(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        using var wall = new SKPaint();
        wall.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, height * 0.75f),
            [new SKColor(96, 110, 128), new SKColor(150, 156, 160)], SKShaderTileMode.Clamp);
        canvas.DrawRect(0, 0, width, height * 0.75f, wall);
        using var floor = new SKPaint { Color = new SKColor(88, 72, 60) };
        canvas.DrawRect(0, height * 0.75f, width, height * 0.25f, floor);
        using var furniture = new SKPaint { Color = new SKColor(50, 54, 62) };
        canvas.DrawRect(width * 0.05f, height * 0.55f, width * 0.12f, height * 0.3f, furniture);
        canvas.DrawRect(width * 0.85f, height * 0.35f, width * 0.08f, height * 0.5f, furniture);
        canvas.Flush();
        return SKImage.FromBitmap(bitmap);
    }
}
