using Visage.Faces;
using Visage.Gallery;
using Visage.Matching;
using Visage.Recognition;
using Visage.Video.Tracking;

namespace Visage.Video.Watching;

/// <summary>Who a track is: the core verb <see cref="Recognizer.Identify(FaceGallery, IReadOnlyList{FaceEmbedding}, MatchingOptions?)"/> on its best descriptors, mapped to a <see cref="TrackDecision"/>.</summary>
public static class TrackDecisions
{
    /// <summary>Decides a track from its descriptors (vectors of <paramref name="modelId"/>) against <paramref name="gallery"/>.</summary>
    /// <exception cref="ArgumentException">No descriptor, or a model other than the gallery's.</exception>
    public static TrackDecision Decide(FaceGallery gallery, IReadOnlyList<float[]> descriptors, string modelId, MatchingOptions? options) =>
        From(Recognizer.Identify(gallery, descriptors.Select(d => new FaceEmbedding(d, modelId)).ToList(), options));

    /// <summary>
    /// The verb's answer as a track decision. Until the verb reports a confidence of its own, the confidence is
    /// <c>threshold / (threshold + distance)</c>: 0.5 at the decision threshold, towards 1 for a perfect match, towards
    /// 0 far away (a number for display; the decision itself is the verb's).
    /// </summary>
    public static TrackDecision From(Match match)
    {
        double? distance = float.IsFinite(match.Distance) ? match.Distance : null;
        var confidence = distance is { } d && match.Threshold > 0 ? match.Threshold / (match.Threshold + d) : 0;
        return new TrackDecision(match.Name, match.PersonId, Math.Round(confidence, 4), distance);
    }
}
