using Visage.Faces;
using Visage.Video.Tracking;

namespace Visage.Video.Watching;

/// <summary>
/// One finished appearance of a face before a camera: what an <see cref="IAppearanceSink"/> stores (a sighting).
/// Built from the track's <c>left</c> event, its best frame and the descriptors it was decided from.
/// </summary>
/// <param name="Left">The <c>left</c> event: camera, track, decision, last box, frame count and duration.</param>
/// <param name="Start">The first frame the face was seen in (media time for files, wall clock for live sources).</param>
/// <param name="End">The last frame the face was seen in.</param>
/// <param name="BestFace">
/// The best face seen (box, detector score, landmarks in its frame's pixels) with its descriptor; the descriptor is
/// null only for a face that never got one (it left before its first descriptor was computed).
/// </param>
/// <param name="Thumbnail">A small JPEG of the best face (see <see cref="WatchOptions.ThumbnailSize"/>).</param>
/// <param name="Descriptors">The descriptors the decision was made from, best frame first (empty when there were none).</param>
public sealed record Appearance(AppearanceEvent Left, FrameStamp Start, FrameStamp End, Face BestFace, byte[] Thumbnail, IReadOnlyList<FaceEmbedding> Descriptors)
{
    /// <summary>The camera's name.</summary>
    public string Camera => Left.Camera;

    /// <summary>Who it was (a stranger: <see cref="TrackDecision.IsKnown"/> false).</summary>
    public TrackDecision Decision => Left.Decision ?? TrackDecision.Unknown();
}
