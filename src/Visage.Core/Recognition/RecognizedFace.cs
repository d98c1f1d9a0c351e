using Visage.Faces;
using Visage.Matching;

namespace Visage.Recognition;

/// <summary>A face found in a photo, with who it is.</summary>
/// <param name="Face">Where the face is, its landmarks and descriptor.</param>
/// <param name="Match">The decision: a person or unknown, with the distance, confidence and candidates behind it.</param>
/// <param name="Frames">How many frames of a burst the face was decided from (1 for a photo).</param>
public sealed record RecognizedFace(Face Face, Match Match, int Frames = 1);

/// <summary>Every face of a photo with who it is, the options that decided, and how long each stage took.</summary>
/// <param name="Faces">The faces, best detection first.</param>
/// <param name="Options">The rule, operating point or threshold, and metric used.</param>
/// <param name="Timings">Milliseconds per stage, the match included.</param>
public sealed record RecognizedPhoto(IReadOnlyList<RecognizedFace> Faces, MatchingOptions Options, StageTimings Timings);

/// <summary>The answer of a verification: the same person when <see cref="Distance"/> is strictly below <see cref="Threshold"/>.</summary>
/// <param name="Distance">Euclidean distance between the descriptors (to the person's nearest face for a person).</param>
/// <param name="Threshold">The threshold used.</param>
/// <param name="Same">The decision.</param>
/// <param name="ThresholdSource">Where the threshold comes from: its calibration, or "set by the caller".</param>
/// <param name="PersonId">The person verified against, when it was a person.</param>
/// <param name="Name">Their name.</param>
/// <param name="Vetoed">True when the distance was under the threshold but a rejection vetoes the person for this face.</param>
public sealed record Verification(float Distance, float Threshold, bool Same, string ThresholdSource, long? PersonId = null, string? Name = null, bool Vetoed = false);
