using System.Text.Json.Serialization;
using Visage.Faces;
using Visage.Matching;
using Visage.Recognition;

namespace Visage.Contracts;

// The JSON shapes of a face, the same for every command (--json) and every endpoint (camelCase on the wire).

/// <summary>A box in image pixels: x to the right, y down, from the top-left corner (rounded to 0.01 px).</summary>
public sealed record BoxJson(double X, double Y, double Width, double Height)
{
    /// <summary>The box of a face.</summary>
    public static BoxJson From(BoundingBox b) => new(Math.Round(b.X, 2), Math.Round(b.Y, 2), Math.Round(b.Width, 2), Math.Round(b.Height, 2));
}

/// <summary>
/// A face found in an image: box, detector score, the detection pass that found it, its 68 landmarks ([x, y] pairs),
/// and its descriptor when asked for. Absent parts are left out.
/// </summary>
public record FaceJson(
    BoxJson Box,
    float Score,
    string Stage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double[][]? Landmarks,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Embedding)
{
    /// <summary>A face as JSON, with its landmarks unless <paramref name="landmarks"/> is false, and its descriptor when <paramref name="embedding"/>.</summary>
    public static FaceJson From(Face f, bool landmarks = true, bool embedding = false) =>
        new(BoxJson.From(f.Box), RoundedScore(f), f.Stage, landmarks ? RoundedLandmarks(f) : null, embedding ? f.Embedding?.Vector : null);

    /// <summary>The detector score, rounded to 4 decimals.</summary>
    protected static float RoundedScore(Face f) => MathF.Round(f.Score, 4);

    /// <summary>The landmarks rounded to 0.01 px, or null.</summary>
    protected static double[][]? RoundedLandmarks(Face f) => f.Landmarks?.Points.Select(p => new[] { Math.Round(p.X, 2), Math.Round(p.Y, 2) }).ToArray();
}

/// <summary>
/// A face with who it is: <c>personId</c> and <c>name</c> are null for a stranger; <c>distance</c> is the distance to
/// the best candidate also when it was rejected (null for an empty gallery) and <c>threshold</c> what it had to be
/// under (the open-set rule's bar for that person in this gallery); <c>confidence</c> the probability that the answer
/// is right; <c>reason</c> why it is what it is (<c>named</c>, <c>no enrolled face close enough</c>, <c>two people too
/// close to tell</c>, <c>no one enrolled</c>); <c>candidates</c> the nearest persons, most probable first;
/// <c>frames</c> how many frames of a burst decided it.
/// </summary>
public sealed record RecognizedFaceJson(
    BoxJson Box,
    float Score,
    string Stage,
    double[][]? Landmarks,
    float[]? Embedding,
    long? PersonId,
    string? Name,
    float? Distance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? Threshold,
    double Confidence,
    string Reason,
    IReadOnlyList<CandidateJson> Candidates,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? FaceId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Votes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Frames)
    : FaceJson(Box, Score, Stage, Landmarks, Embedding)
{
    /// <summary>A recognized face as JSON (without landmarks unless asked).</summary>
    public static RecognizedFaceJson From(RecognizedFace r, bool landmarks = false)
    {
        var (f, m) = (r.Face, r.Match);
        var distance = float.IsFinite(m.Distance) ? MathF.Round(m.Distance, 6) : (float?)null;
        return new(BoxJson.From(f.Box), RoundedScore(f), f.Stage, landmarks ? RoundedLandmarks(f) : null, null,
            m.PersonId, m.Name, distance, distance is null ? null : MathF.Round(m.Threshold, 6), Math.Round(m.Confidence, 4), m.Explanation,
            [.. m.Candidates.Select(CandidateJson.From)], m.FaceId, m.Votes, r.Frames > 1 ? r.Frames : null);
    }
}

/// <summary>One of the persons nearest a face: their distance (to the mean of their faces) and the probability that the face is theirs.</summary>
public sealed record CandidateJson(long PersonId, string Name, float Distance, double Confidence)
{
    /// <summary>A candidate as JSON.</summary>
    public static CandidateJson From(MatchCandidate c) => new(c.PersonId, c.Name, MathF.Round(c.Distance, 6), Math.Round(c.Confidence, 4));
}
