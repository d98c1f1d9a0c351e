using Visage.Faces;
using Visage.Imaging;
using Visage.Video.Tracking;

namespace Visage.Video.Watching;

/// <summary>A face in a processed frame, with what is known of it so far.</summary>
/// <param name="Face">Box, score and landmarks in frame pixels.</param>
/// <param name="Track">The track's id, or null while the track is tentative.</param>
/// <param name="Decision">Who it is, once its track was decided; null before.</param>
public sealed record WatchedFace(Face Face, long? Track, TrackDecision? Decision)
{
    /// <summary>The label to draw: the name, <c>unknown</c>, or <c>?</c> while undecided.</summary>
    public string Label => Decision is null ? "?" : Decision.Name ?? "unknown";

    /// <summary>An annotation for <see cref="ImageAnnotator"/>.</summary>
    public Annotation ToAnnotation() => new(Face.Box, Label, Decision?.IsKnown == true);
}

/// <summary>
/// One processed frame as the watcher's callers see it: the frame itself (valid only during the callback: copy
/// what must outlive it), its faces, the events it caused and how long it took.
/// </summary>
/// <param name="Image">The frame's pixels (pooled: valid during the callback only).</param>
/// <param name="Stamp">When the frame was taken.</param>
/// <param name="Faces">Faces detected in the frame.</param>
/// <param name="Events">Events this frame caused, in order.</param>
/// <param name="ActiveTracks">Confirmed tracks followed after this frame.</param>
/// <param name="ProcessingSeconds">Detection, tracking, descriptors and decisions for this frame.</param>
/// <param name="LatencySeconds">From the frame's arrival to the end of its processing (queue wait included) for live sources; the processing time for files.</param>
public sealed record WatchedFrame(
    RgbImage Image, FrameStamp Stamp, IReadOnlyList<WatchedFace> Faces, IReadOnlyList<AppearanceEvent> Events,
    int ActiveTracks, double ProcessingSeconds, double LatencySeconds)
{
    /// <summary>The frame with boxes and names drawn (a new image).</summary>
    public RgbImage Annotated() => ImageAnnotator.Draw(Image, Faces.Select(f => f.ToAnnotation()));
}
