namespace Visage.Video.Watching;

/// <summary>
/// Live counters of one watcher, safe to read from any thread while it runs (status lines, metrics). The frames
/// decoded and dropped before processing are the source's (<see cref="Sources.SourceCounters"/>).
/// </summary>
public sealed class WatchCounters
{
    private long _frames;
    private long _faces;
    private long _appeared;
    private long _named;
    private long _strangers;
    private long _left;
    private long _sinkErrors;
    private long _processingMicroseconds;
    private long _lastLatencyMicroseconds;
    private int _activeTracks;
    private int _lastFaces;

    /// <summary>Frames detected, tracked and decided.</summary>
    public long FramesProcessed => Interlocked.Read(ref _frames);

    /// <summary>Faces detected, summed over the frames.</summary>
    public long FacesDetected => Interlocked.Read(ref _faces);

    /// <summary>Faces in the last frame processed.</summary>
    public int FacesInLastFrame => Volatile.Read(ref _lastFaces);

    /// <summary>Tracks followed after the last frame (confirmed ones).</summary>
    public int ActiveTracks => Volatile.Read(ref _activeTracks);

    /// <summary>Appearances begun (<c>appeared</c> events).</summary>
    public long Appeared => Interlocked.Read(ref _appeared);

    /// <summary>Appearances decided as an enrolled person.</summary>
    public long Named => Interlocked.Read(ref _named);

    /// <summary>Appearances decided as a stranger.</summary>
    public long Strangers => Interlocked.Read(ref _strangers);

    /// <summary>Appearances ended (<c>left</c> events: each one handed to the sink).</summary>
    public long Left => Interlocked.Read(ref _left);

    /// <summary>Appearances the sink refused (its exception was reported, the watcher went on).</summary>
    public long SinkErrors => Interlocked.Read(ref _sinkErrors);

    /// <summary>Seconds spent processing frames, summed.</summary>
    public double ProcessingSeconds => Interlocked.Read(ref _processingMicroseconds) / 1e6;

    /// <summary>Latency of the last frame (see <see cref="WatchedFrame.LatencySeconds"/>).</summary>
    public double LastLatencySeconds => Interlocked.Read(ref _lastLatencyMicroseconds) / 1e6;

    internal void Frame(int faces, int activeTracks, double processingSeconds, double latencySeconds)
    {
        Interlocked.Increment(ref _frames);
        Interlocked.Add(ref _faces, faces);
        Volatile.Write(ref _lastFaces, faces);
        Volatile.Write(ref _activeTracks, activeTracks);
        Interlocked.Add(ref _processingMicroseconds, (long)(processingSeconds * 1e6));
        Interlocked.Exchange(ref _lastLatencyMicroseconds, (long)(latencySeconds * 1e6));
    }

    internal void Event(Tracking.AppearanceEvent e)
    {
        switch (e.Kind)
        {
            case Tracking.AppearanceEventKind.Appeared: Interlocked.Increment(ref _appeared); break;
            case Tracking.AppearanceEventKind.Identified when e.Decision?.IsKnown == true: Interlocked.Increment(ref _named); break;
            case Tracking.AppearanceEventKind.Identified: Interlocked.Increment(ref _strangers); break;
            default: Interlocked.Increment(ref _left); break;
        }
    }

    internal void SinkFailed() => Interlocked.Increment(ref _sinkErrors);
}
