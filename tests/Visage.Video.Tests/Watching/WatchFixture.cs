using System.Security.Cryptography;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Models;
using Visage.Pipeline;
using Visage.Video.Tests.Media;
using Visage.Video.Watching;

namespace Visage.Video.Tests.Watching;

/// <summary>
/// What the watcher tests share: the models, a SQLite gallery in a temp folder with the known people of the standard
/// timeline enrolled from their other photos (never the photo drawn in the video, so a match is a real recognition),
/// and the frame analyzers by detector.
/// </summary>
public sealed class WatchFixture : IDisposable
{
    private readonly Dictionary<string, FaceAnalyzer> _frameAnalyzers = [];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "visage-watch-tests", Guid.NewGuid().ToString("N"));

    public WatchFixture()
    {
        var store = new ModelStore();
        store.EnsureAvailable(TextWriter.Null);
        Models = new ModelRepository(store);
        Photos = new FaceAnalyzer(new FaceAnalyzerOptions(), Models);
        Directory.CreateDirectory(_folder);
        GalleryPath = Path.Combine(_folder, "gallery.db");
        Gallery = FaceGallery.Open(GalleryPath, Photos.ModelId);
        Enrolled = EnrollKnownPeople();
    }

    public ModelRepository Models { get; }

    /// <summary>The photo pipeline (enrollment).</summary>
    public FaceAnalyzer Photos { get; }

    public string GalleryPath { get; }

    public FaceGallery Gallery { get; }

    /// <summary>The names enrolled (the known people of the standard timeline).</summary>
    public IReadOnlyList<string> Enrolled { get; }

    /// <summary>The one-pass frame analyzer of a detector (made once).</summary>
    public FaceAnalyzer Frames(string detector)
    {
        lock (_frameAnalyzers)
        {
            if (!_frameAnalyzers.TryGetValue(detector, out var analyzer))
                _frameAnalyzers[detector] = analyzer = new FaceAnalyzer(new WatchOptions { Detector = detector }.FrameAnalysis(new FaceAnalyzerOptions()), Models);
            return analyzer;
        }
    }

    /// <summary>A watcher on the fixture's gallery.</summary>
    public FaceWatcher Watcher(WatchOptions options, IAppearanceSink? sink = null) =>
        new(Frames(options.Detector), () => Gallery, options, sink);

    private List<string> EnrollKnownPeople()
    {
        var decoder = new ImageDecoder();
        var names = new List<string>();
        foreach (var known in Casts.Known(TestVideo.StandardTimeline()))
        {
            var person = Gallery.GetOrCreatePerson(known.Label);
            foreach (var photo in known.Photos)
            {
                var bytes = File.ReadAllBytes(photo);
                if (Photos.AnalyzeSubject(decoder.Decode(bytes)).Unambiguous is { } face)
                    Gallery.Enroll(person.Id, Convert.ToHexStringLower(SHA256.HashData(bytes)), face);
            }
            names.Add(known.Label);
        }
        return names;
    }

    public void Dispose()
    {
        foreach (var analyzer in _frameAnalyzers.Values) analyzer.Dispose();
        Photos.Dispose();
        Gallery.Dispose();
        Models.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Watcher tests share one fixture (models loaded once) and run one at a time with the source tests.</summary>
[CollectionDefinition(Name)]
public sealed class WatchCollection : ICollectionFixture<WatchFixture>
{
    public const string Name = "watcher";
}
