namespace Visage.Video.Tracking;

/// <summary>Which track a face of the frame went to, and whether its descriptor should be computed now.</summary>
/// <param name="Observation">Index of the face in the list given to <see cref="FaceTracker.Update"/>.</param>
/// <param name="Track">The track it belongs to (new tracks included).</param>
/// <param name="DescriptorDue">
/// Compute this face's descriptor and give it to <see cref="FaceTrack.AddDescriptor"/>: true for a new track, for a
/// clearly better frame than the track's best, and otherwise every <see cref="FaceTrackerOptions.DescriptorInterval"/>
/// frames for a frame that makes the track's best frames. False when the face came with its descriptor.
/// </param>
/// <param name="NewBest">This frame is the track's best so far (time for a new thumbnail).</param>
public readonly record struct TrackAssignment(int Observation, FaceTrack Track, bool DescriptorDue, bool NewBest);

/// <summary>What one frame changed.</summary>
/// <param name="Frame">The frame.</param>
/// <param name="Assignments">One per face given, in the same order.</param>
/// <param name="Confirmed">Tracks confirmed in this frame (their first confirmed sight).</param>
/// <param name="Ended">Confirmed tracks that ended in this frame (tentative ones vanish silently).</param>
/// <param name="Active">Every confirmed track still followed after this frame.</param>
public sealed record TrackerUpdate(
    FrameStamp Frame,
    IReadOnlyList<TrackAssignment> Assignments,
    IReadOnlyList<FaceTrack> Confirmed,
    IReadOnlyList<FaceTrack> Ended,
    IReadOnlyList<FaceTrack> Active);
