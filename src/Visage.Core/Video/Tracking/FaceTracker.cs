using System.Numerics.Tensors;
using Visage.Faces;

namespace Visage.Video.Tracking;

/// <summary>
/// Follows faces across frames, so that one person crossing the picture is one track. Each frame's faces are
/// matched to the tracks greedily, best pair first, by the overlap (IoU) of the face with the track's predicted
/// box, plus — when both have one — how close their descriptors are (Euclidean); a descriptor too far away vetoes
/// the pair, and a close one can take back a lost track that moved while hidden. A track is tentative until seen in
/// <see cref="FaceTrackerOptions.MinHits"/> frames (a tentative track that misses a frame is dropped: detector
/// flicker) and ends after <see cref="FaceTrackerOptions.MaxMissedFrames"/> frames or
/// <see cref="FaceTrackerOptions.MaxGapSeconds"/> unseen. Not thread-safe: one tracker per camera, fed in frame order.
/// </summary>
public sealed class FaceTracker
{
    private readonly FaceTrackerOptions _options;
    private readonly List<FaceTrack> _tracks = [];
    private readonly List<(double Score, int Track, int Face)> _pairs = [];
    private long _nextId = 1;
    private long _lastIndex = long.MinValue;

    /// <summary>A tracker with the given (or default) options.</summary>
    /// <exception cref="ArgumentException">Bad options.</exception>
    public FaceTracker(FaceTrackerOptions? options = null)
    {
        _options = options ?? new FaceTrackerOptions();
        _options.Validate();
    }

    /// <summary>The options in force.</summary>
    public FaceTrackerOptions Options => _options;

    /// <summary>Tracks followed now (tentative and confirmed).</summary>
    public IReadOnlyList<FaceTrack> Tracks => _tracks;

    /// <summary>Takes the faces of the next frame.</summary>
    /// <param name="faces">Every face detected in the frame (none is fine: tracks age).</param>
    /// <param name="frame">The frame; indexes must increase.</param>
    /// <exception cref="ArgumentException">The frame index does not increase.</exception>
    public TrackerUpdate Update(IReadOnlyList<FaceObservation> faces, FrameStamp frame)
    {
        if (frame.Index <= _lastIndex) throw new ArgumentException($"frame {frame.Index} comes after frame {_lastIndex}: frames must be given in order");
        _lastIndex = frame.Index;
        var faceTrack = Match(faces, frame);

        var assignments = new TrackAssignment[faces.Count];
        var confirmed = new List<FaceTrack>();
        var seen = new HashSet<FaceTrack>();
        for (var f = 0; f < faces.Count; f++)
        {
            var face = faces[f];
            var quality = FaceQuality.Score(face.Box, face.Score, face.Landmarks);
            FaceTrack track;
            TrackSample? sample;
            bool newBest;
            if (faceTrack[f] < 0)
            {
                track = new FaceTrack(_nextId++, face, frame);
                _tracks.Add(track);
                (sample, newBest) = track.Offer(face, frame, quality, _options);
            }
            else
            {
                track = _tracks[faceTrack[f]];
                (sample, newBest) = track.See(face, frame, quality, _options);
            }
            seen.Add(track);
            if (track.State == TrackState.Tentative && track.Hits >= _options.MinHits)
            {
                track.State = TrackState.Confirmed;
                confirmed.Add(track);
            }
            assignments[f] = new TrackAssignment(f, track, DescriptorDue: sample is not null && face.Descriptor is null, newBest);
        }

        var ended = new List<FaceTrack>();
        for (var t = _tracks.Count - 1; t >= 0; t--)
        {
            var track = _tracks[t];
            if (seen.Contains(track)) continue;
            track.Missed++;
            var gone = track.State == TrackState.Tentative
                || track.Missed > _options.MaxMissedFrames
                || frame.Seconds - track.LastSeen.Seconds > _options.MaxGapSeconds;
            if (!gone) continue;
            _tracks.RemoveAt(t);
            if (track.State == TrackState.Confirmed) ended.Add(track);
            track.State = TrackState.Ended;
        }
        ended.Reverse();
        return new TrackerUpdate(frame, assignments, confirmed, ended, ActiveTracks());
    }

    /// <summary>Ends every track (the source ended): confirmed ones are returned as <see cref="TrackerUpdate.Ended"/>.</summary>
    public TrackerUpdate EndAll(FrameStamp frame)
    {
        var ended = _tracks.Where(t => t.State == TrackState.Confirmed).ToList();
        foreach (var t in _tracks) t.State = TrackState.Ended;
        _tracks.Clear();
        return new TrackerUpdate(frame, [], [], ended, []);
    }

    private List<FaceTrack> ActiveTracks() => _tracks.Where(t => t.State == TrackState.Confirmed).ToList();

    /// <summary>For each face, the index of its track in <see cref="_tracks"/>, or -1 for a new face.</summary>
    private int[] Match(IReadOnlyList<FaceObservation> faces, FrameStamp frame)
    {
        _pairs.Clear();
        for (var t = 0; t < _tracks.Count; t++)
        {
            var track = _tracks[t];
            var predicted = track.PredictAt(frame.Index);
            for (var f = 0; f < faces.Count; f++)
            {
                var face = faces[f];
                var iou = predicted.IoU(face.Box);
                double? distance = track.LatestDescriptor is { } a && face.Descriptor is { } b ? TensorPrimitives.Distance<float>(a, b) : null;
                if (distance > _options.MaxDescriptorDistance) continue;
                var near = predicted.Center.DistanceTo(face.Box.Center) <= _options.ReacquireRadius * Math.Max(predicted.Width, face.Box.Width);
                if (iou < _options.MinIoU && !(distance <= _options.ReacquireDistance && near)) continue;
                // Overlap first; a close descriptor adds up to 1, so it decides between two overlapping faces.
                var score = iou + (distance is { } d ? 1 - d / _options.MaxDescriptorDistance : 0);
                _pairs.Add((score, t, f));
            }
        }
        _pairs.Sort((x, y) => y.Score.CompareTo(x.Score));
        var faceTrack = new int[faces.Count];
        Array.Fill(faceTrack, -1);
        var taken = new bool[_tracks.Count];
        foreach (var (_, t, f) in _pairs)
        {
            if (taken[t] || faceTrack[f] >= 0) continue;
            taken[t] = true;
            faceTrack[f] = t;
        }
        return faceTrack;
    }
}
