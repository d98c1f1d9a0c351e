using Visage.Faces;

namespace Visage.Video.Tracking;

/// <summary>Where a track is in its life.</summary>
public enum TrackState
{
    /// <summary>Seen in fewer than <see cref="FaceTrackerOptions.MinHits"/> frames: maybe a detector flicker.</summary>
    Tentative,

    /// <summary>A real face, followed.</summary>
    Confirmed,

    /// <summary>Gone: unseen too long (or the source ended).</summary>
    Ended,
}

/// <summary>
/// One face followed across frames: where it is and where it is heading (a constant-velocity prediction bridges
/// short occlusions and keeps two crossing faces apart), its best frames by <see cref="FaceQuality"/>, and the
/// descriptors of those frames.
/// </summary>
public sealed class FaceTrack
{
    private readonly List<TrackSample> _best = [];
    private double _vx, _vy, _vw, _vh;
    private long? _lastTaken;

    internal FaceTrack(long id, FaceObservation face, FrameStamp frame)
    {
        Id = id;
        Box = face.Box;
        FirstSeen = LastSeen = frame;
        Hits = 1;
        LatestDescriptor = face.Descriptor;
    }

    /// <summary>Number of the track, unique within its tracker, increasing.</summary>
    public long Id { get; }

    /// <summary>Tentative, confirmed or ended.</summary>
    public TrackState State { get; internal set; } = TrackState.Tentative;

    /// <summary>The box where the face was last seen.</summary>
    public BoundingBox Box { get; private set; }

    /// <summary>The first frame the face was seen in.</summary>
    public FrameStamp FirstSeen { get; }

    /// <summary>The last frame the face was seen in.</summary>
    public FrameStamp LastSeen { get; private set; }

    /// <summary>Frames the face was seen in.</summary>
    public int Hits { get; private set; }

    /// <summary>Frames in a row the face has not been seen (0 when seen in the last frame).</summary>
    public int Missed { get; internal set; }

    /// <summary>The best frames so far, best first (at most <see cref="FaceTrackerOptions.BestFrames"/>).</summary>
    public IReadOnlyList<TrackSample> BestSamples => _best;

    /// <summary>The single best frame (for a thumbnail).</summary>
    public TrackSample? Best => _best.Count > 0 ? _best[0] : null;

    /// <summary>Descriptors of the best frames that have one, best frame first: what the track is decided from.</summary>
    public IReadOnlyList<float[]> Descriptors => _best.Where(s => s.Descriptor is not null).Select(s => s.Descriptor!).ToList();

    /// <summary>How many of the best frames have a descriptor.</summary>
    public int DescriptorCount
    {
        get
        {
            var n = 0;
            foreach (var s in _best) if (s.Descriptor is not null) n++;
            return n;
        }
    }

    /// <summary>The most recent descriptor (whatever its frame's rank), used to tell faces apart.</summary>
    public float[]? LatestDescriptor { get; private set; }

    /// <summary>Frame index of the most recent descriptor, or null.</summary>
    public long? LatestDescriptorFrame { get; private set; }

    /// <summary>Seconds between the first and the last sight.</summary>
    public double DurationSeconds => LastSeen.Seconds - FirstSeen.Seconds;

    /// <summary>
    /// Gives the track the descriptor of its face in <paramref name="frameIndex"/> (one the tracker said was due):
    /// stored with that frame's sample when it is among the best, and used to tell faces apart from now on.
    /// </summary>
    /// <exception cref="ArgumentException">Not a 128-d vector.</exception>
    public void AddDescriptor(long frameIndex, float[] descriptor)
    {
        if (descriptor.Length != FaceEmbedding.Dimensions)
            throw new ArgumentException($"a descriptor has {FaceEmbedding.Dimensions} values, got {descriptor.Length}");
        if (LatestDescriptorFrame is null || frameIndex >= LatestDescriptorFrame)
        {
            LatestDescriptor = descriptor;
            LatestDescriptorFrame = frameIndex;
        }
        foreach (var s in _best)
            if (s.Frame.Index == frameIndex) s.Descriptor = descriptor;
    }

    /// <summary>Where the face should be in frame <paramref name="index"/>, moving as it has been.</summary>
    public BoundingBox PredictAt(long index)
    {
        var n = index - LastSeen.Index;
        return new BoundingBox(Box.X + _vx * n, Box.Y + _vy * n, Math.Max(1, Box.Width + _vw * n), Math.Max(1, Box.Height + _vh * n));
    }

    /// <summary>Records a sighting; returns the sample when it entered the best frames (null otherwise) and whether it is a new best.</summary>
    internal (TrackSample? Sample, bool NewBest) See(FaceObservation face, FrameStamp frame, double quality, FaceTrackerOptions options)
    {
        var n = Math.Max(1, frame.Index - LastSeen.Index);
        // Velocity per frame, smoothed so that one jittery box does not throw the prediction off.
        const double Smoothing = 0.5;
        _vx = Smoothing * (face.Box.X - Box.X) / n + (1 - Smoothing) * _vx;
        _vy = Smoothing * (face.Box.Y - Box.Y) / n + (1 - Smoothing) * _vy;
        _vw = Smoothing * (face.Box.Width - Box.Width) / n + (1 - Smoothing) * _vw;
        _vh = Smoothing * (face.Box.Height - Box.Height) / n + (1 - Smoothing) * _vh;
        Box = face.Box;
        LastSeen = frame;
        Hits++;
        Missed = 0;
        return Offer(face, frame, quality, options);
    }

    /// <summary>
    /// Offers a frame to the best frames. It is taken (and its descriptor is due) when the track is new, when it
    /// is clearly better than the best so far, or when the last descriptor request is
    /// <see cref="FaceTrackerOptions.DescriptorInterval"/> frames old and the frame beats the worst kept one.
    /// </summary>
    internal (TrackSample? Sample, bool NewBest) Offer(FaceObservation face, FrameStamp frame, double quality, FaceTrackerOptions options)
    {
        var newBest = _best.Count == 0 || quality > _best[0].Quality * options.BetterFrameRatio;
        var room = _best.Count < options.BestFrames || quality > _best[^1].Quality;
        var aged = _lastTaken is not { } last || frame.Index - last >= options.DescriptorInterval;
        if (!newBest && !(room && (aged || face.Descriptor is not null))) return (null, false);
        _lastTaken = frame.Index;
        var sample = new TrackSample(frame, face.Box, quality);
        var at = _best.FindIndex(s => s.Quality < quality);
        _best.Insert(at < 0 ? _best.Count : at, sample);
        if (_best.Count > options.BestFrames) _best.RemoveAt(_best.Count - 1);
        if (face.Descriptor is not null) AddDescriptor(frame.Index, face.Descriptor);
        return (sample, newBest);
    }
}
