namespace Visage.Video.Tracking;

/// <summary>When <see cref="AppearanceEvents"/> decides who a track is.</summary>
public sealed record AppearanceOptions
{
    /// <summary>Decide once a confirmed track has this many descriptors of its best frames.</summary>
    public int DecideAfterDescriptors { get; init; } = 3;

    /// <summary>Or once it has been followed this long (seconds) with at least one descriptor.</summary>
    public double DecideAfterSeconds { get; init; } = 1.5;
}

/// <summary>
/// Turns track life into events, one set per appearance and not one per frame: <c>appeared</c> at a track's
/// first confirmed sight, <c>identified</c> once (when it has enough descriptors or has been followed long
/// enough, or at the latest when it leaves), <c>left</c> when it ends. Who a track is comes from a pluggable
/// decision over the track's best descriptors (the gallery's calibrated decision in the service); a track that
/// never got a descriptor is unknown without asking it. Call <see cref="Process"/> after the frame's due
/// descriptors were given to their tracks. Not thread-safe: one per camera.
/// </summary>
public sealed class AppearanceEvents
{
    private readonly string _camera;
    private readonly Func<IReadOnlyList<float[]>, TrackDecision> _decide;
    private readonly AppearanceOptions _options;
    private readonly Dictionary<long, TrackDecision> _decided = [];

    /// <summary>Events for one camera.</summary>
    /// <param name="camera">The camera's name, in every event.</param>
    /// <param name="decide">Who a set of descriptors (a track's best frames, best first) belongs to.</param>
    /// <param name="options">When to decide.</param>
    public AppearanceEvents(string camera, Func<IReadOnlyList<float[]>, TrackDecision> decide, AppearanceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(camera);
        _camera = camera;
        _decide = decide;
        _options = options ?? new AppearanceOptions();
        if (_options.DecideAfterDescriptors < 1 || _options.DecideAfterSeconds < 0)
            throw new ArgumentException("decide after at least one descriptor and a non-negative time");
    }

    /// <summary>The decision made for each open track so far.</summary>
    public IReadOnlyDictionary<long, TrackDecision> Decided => _decided;

    /// <summary>The events one frame caused, in order: appeared, identified, then left.</summary>
    public IReadOnlyList<AppearanceEvent> Process(TrackerUpdate update)
    {
        var events = new List<AppearanceEvent>();
        foreach (var track in update.Confirmed)
            events.Add(new AppearanceEvent(AppearanceEventKind.Appeared, _camera, track.Id, update.Frame, null, track.Box, track.Hits));
        foreach (var track in update.Active)
        {
            if (_decided.ContainsKey(track.Id)) continue;
            var count = track.DescriptorCount;
            var ready = count >= _options.DecideAfterDescriptors || (count > 0 && track.DurationSeconds >= _options.DecideAfterSeconds);
            if (ready) events.Add(Identify(track, update.Frame));
        }
        foreach (var track in update.Ended)
        {
            if (!_decided.ContainsKey(track.Id)) events.Add(Identify(track, update.Frame));
            var decision = _decided[track.Id];
            _decided.Remove(track.Id);
            events.Add(new AppearanceEvent(AppearanceEventKind.Left, _camera, track.Id, track.LastSeen, decision, track.Box, track.Hits, track.DurationSeconds));
        }
        return events;
    }

    private AppearanceEvent Identify(FaceTrack track, FrameStamp frame)
    {
        var descriptors = track.Descriptors;
        var decision = descriptors.Count > 0 ? _decide(descriptors) : TrackDecision.Unknown();
        _decided[track.Id] = decision;
        return new AppearanceEvent(AppearanceEventKind.Identified, _camera, track.Id, frame, decision, track.Box, track.Hits);
    }
}
