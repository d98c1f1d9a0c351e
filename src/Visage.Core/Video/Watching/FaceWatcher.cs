using System.Diagnostics;
using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Imaging;
using Visage.Pipeline;
using Visage.Video.Sources;
using Visage.Video.Tracking;

namespace Visage.Video.Watching;

/// <summary>
/// Watches one camera: each frame goes through one detector pass (with landmarks), the tracker, descriptors only for
/// the faces whose track asked for one (<see cref="TrackAssignment.DescriptorDue"/>), and <see cref="AppearanceEvents"/>,
/// whose decision is the core verb on the track's best descriptors (<see cref="TrackDecisions"/>). Every finished
/// appearance goes to the <see cref="IAppearanceSink"/> with its best face and thumbnail. Frames are processed one at a
/// time as they come: a live source that outpaces the processing drops frames itself (counted in its
/// <see cref="SourceCounters.FramesDropped"/>), so nothing queues up here. Not thread-safe: one watcher per camera.
/// </summary>
public sealed class FaceWatcher
{
    private readonly FaceAnalyzer _analyzer;
    private readonly Func<FaceGallery> _gallery;
    private readonly WatchOptions _options;
    private readonly IAppearanceSink? _sink;
    private readonly Action<Exception>? _failed;
    private readonly FaceTracker _tracker;
    private readonly AppearanceEvents _events;
    private readonly Dictionary<long, BestFace> _best = [];
    private FrameStamp? _last;

    /// <summary>A watcher for one camera.</summary>
    /// <param name="analyzer">
    /// The frame pipeline, made with <see cref="WatchOptions.FrameAnalysis"/> (one detector pass); its model id must be
    /// the gallery's.
    /// </param>
    /// <param name="gallery">The gallery to decide against, asked at each decision (so a reloaded gallery is used).</param>
    /// <param name="options">Camera name, tracker and decision settings.</param>
    /// <param name="sink">Where finished appearances go, or null.</param>
    /// <param name="failed">Told of failures that do not stop the watcher (the sink's, an unreachable gallery's).</param>
    /// <exception cref="ArgumentException">Bad options, or an analyzer that runs the thorough photo search.</exception>
    public FaceWatcher(FaceAnalyzer analyzer, Func<FaceGallery> gallery, WatchOptions? options = null, IAppearanceSink? sink = null, Action<Exception>? failed = null)
    {
        _options = options ?? new WatchOptions();
        _options.Validate();
        if (analyzer.Options.Mode != DetectionMode.FaceApi)
            throw new ArgumentException($"the frame analyzer must run one detector pass: make its options with {nameof(WatchOptions)}.{nameof(WatchOptions.FrameAnalysis)}", nameof(analyzer));
        _analyzer = analyzer;
        _gallery = gallery;
        _sink = sink;
        _failed = failed;
        _tracker = new FaceTracker(_options.Tracker);
        _events = new AppearanceEvents(_options.Camera, Decide, _options.Appearance);
    }

    /// <summary>The options in force.</summary>
    public WatchOptions Options => _options;

    /// <summary>Frames, faces, appearances and latency so far.</summary>
    public WatchCounters Counters { get; } = new();

    /// <summary>
    /// Reads <paramref name="source"/> to its end (a file) or until cancelled (a live source), processing every frame it
    /// delivers; at the end every open appearance is closed (its <c>left</c> event sent, its appearance stored).
    /// </summary>
    /// <param name="source">The frames.</param>
    /// <param name="onEvent">Every event, in order, on the watcher's thread.</param>
    /// <param name="onFrame">Every processed frame, on the watcher's thread; its image is valid during the call only.</param>
    /// <param name="cancellationToken">Stops watching (open appearances are closed first).</param>
    /// <exception cref="VideoSourceException">A file that cannot be read.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task RunAsync(IFrameSource source, Action<AppearanceEvent>? onEvent = null, Action<WatchedFrame>? onFrame = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var frame in source.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                using (frame)
                {
                    var watched = Process(frame.Image, new FrameStamp(frame.Index, frame.Seconds, frame.WallClockUtc), frame.WallClockUtc);
                    foreach (var e in watched.Events) onEvent?.Invoke(e);
                    onFrame?.Invoke(watched);
                }
            }
        }
        finally
        {
            foreach (var e in Finish()) onEvent?.Invoke(e);
        }
    }

    /// <summary>Processes one frame: detect, track, describe where due, decide, and hand finished appearances to the sink.</summary>
    /// <param name="image">The frame.</param>
    /// <param name="stamp">When it was taken; indexes must increase.</param>
    /// <param name="arrivedUtc">When a live frame arrived (its latency is measured from then); null for files.</param>
    /// <exception cref="ArgumentException">The frame index does not increase.</exception>
    public WatchedFrame Process(RgbImage image, FrameStamp stamp, DateTimeOffset? arrivedUtc = null)
    {
        var started = Stopwatch.GetTimestamp();
        var faces = Identify(image, _analyzer.Detect(image).Faces, stamp);
        var update = _tracker.Update(faces.Select(FaceObservation.From).ToList(), stamp);
        _last = stamp;
        var described = Describe(image, faces, update);
        var events = _events.Process(update);
        Store(events, update);
        Forget();

        var watched = new List<WatchedFace>(faces.Count);
        foreach (var a in update.Assignments)
        {
            var confirmed = a.Track.State == TrackState.Confirmed;
            watched.Add(new WatchedFace(described[a.Observation], confirmed ? a.Track.Id : null,
                confirmed && _events.Decided.TryGetValue(a.Track.Id, out var d) ? d : null));
        }
        var processing = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var latency = arrivedUtc is { } at ? Math.Max(processing, (DateTimeOffset.UtcNow - at).TotalSeconds) : processing;
        Counters.Frame(faces.Count, update.Active.Count, processing, latency);
        foreach (var e in events) Counters.Event(e);
        return new WatchedFrame(image, stamp, watched, events, update.Active.Count, processing, latency);
    }

    /// <summary>Closes every open appearance (the source ended or watching stops): their <c>identified</c> (when still due) and <c>left</c> events.</summary>
    public IReadOnlyList<AppearanceEvent> Finish()
    {
        if (_last is not { } last) return [];
        var update = _tracker.EndAll(last);
        var events = _events.Process(update);
        Store(events, update);
        _best.Clear();
        foreach (var e in events) Counters.Event(e);
        return events;
    }

    /// <summary>
    /// Gives a descriptor, before tracking, to every face that does not plainly continue a track seen in the previous
    /// frame: a new face, or one where a lost track may be. The tracker then tells people apart by their descriptors
    /// (a stranger stepping in where someone just left does not inherit their track, and a face lost behind another is
    /// taken back). A new face's descriptor is the one its new track would ask for anyway, so this costs little more.
    /// </summary>
    private IReadOnlyList<Face> Identify(RgbImage image, IReadOnlyList<Face> faces, FrameStamp stamp)
    {
        var unsure = new List<int>();
        for (var i = 0; i < faces.Count; i++)
        {
            var box = faces[i].Box;
            var continues = _tracker.Tracks.Any(t => t.Missed == 0 && t.PredictAt(stamp.Index).IoU(box) >= _tracker.Options.MinIoU);
            if (!continues) unsure.Add(i);
        }
        if (unsure.Count == 0) return faces;
        var embedded = _analyzer.Embed(image, unsure.Select(i => faces[i]).ToList());
        var result = faces.ToArray();
        for (var k = 0; k < unsure.Count; k++) result[unsure[k]] = embedded[k];
        return result;
    }

    /// <summary>
    /// Computes the descriptors the tracker asked for (all in one batch) and gives them to their tracks; remembers the
    /// best face and its thumbnail of each track. Returns the frame's faces, with descriptors where computed.
    /// </summary>
    private Face[] Describe(RgbImage image, IReadOnlyList<Face> faces, TrackerUpdate update)
    {
        var result = faces.ToArray();
        var due = update.Assignments.Where(a => a.DescriptorDue).ToList();
        if (due.Count > 0)
        {
            var embedded = _analyzer.Embed(image, due.Select(a => faces[a.Observation]).ToList());
            for (var i = 0; i < due.Count; i++)
            {
                if (embedded[i].Embedding is not { } embedding) continue;
                result[due[i].Observation] = embedded[i];
                due[i].Track.AddDescriptor(update.Frame.Index, embedding.Vector);
            }
        }
        foreach (var a in update.Assignments)
        {
            if (!a.NewBest) continue;
            var face = result[a.Observation];
            _best[a.Track.Id] = new BestFace(face, FaceThumbnail.Jpeg(image, face.Box, _options.ThumbnailSize));
        }
        return result;
    }

    private TrackDecision Decide(IReadOnlyList<float[]> descriptors)
    {
        try
        {
            return TrackDecisions.Decide(_gallery(), descriptors, _analyzer.ModelId, _options.Matching);
        }
        catch (GalleryException e)
        {
            // The gallery cannot be reached and was never loaded: the appearance is reported undecided rather than lost.
            _failed?.Invoke(e);
            return TrackDecision.Unknown();
        }
    }

    /// <summary>Hands each appearance that ended to the sink.</summary>
    private void Store(IReadOnlyList<AppearanceEvent> events, TrackerUpdate update)
    {
        foreach (var left in events)
        {
            if (left.Kind != AppearanceEventKind.Left) continue;
            var track = update.Ended.First(t => t.Id == left.Track);
            _best.Remove(track.Id, out var best);
            if (_sink is null || best is null) continue;
            var descriptors = track.Descriptors.Select(d => new FaceEmbedding(d, _analyzer.ModelId)).ToList();
            try
            {
                _sink.Add(new Appearance(left, track.FirstSeen, track.LastSeen, best.Face, best.Thumbnail, descriptors));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Counters.SinkFailed();
                _failed?.Invoke(e);
            }
        }
    }

    /// <summary>Drops the best faces of tentative tracks that vanished without being confirmed (detector flicker).</summary>
    private void Forget()
    {
        if (_best.Count <= _tracker.Tracks.Count) return;
        var live = _tracker.Tracks.Select(t => t.Id).ToHashSet();
        foreach (var id in _best.Keys.Where(id => !live.Contains(id)).ToList()) _best.Remove(id);
    }

    private sealed record BestFace(Face Face, byte[] Thumbnail);
}
