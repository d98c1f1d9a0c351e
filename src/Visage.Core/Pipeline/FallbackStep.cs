namespace Visage.Pipeline;

/// <summary>One retry of <see cref="FaceFinder"/>'s fallback chain, tried when the steps before found no face.</summary>
/// <param name="Stage">The name faces found by this step carry (<see cref="Faces.Face.Stage"/>).</param>
/// <param name="Detector">The registered name of the detector that runs.</param>
/// <param name="Border">Black border added on each side, as a share of the photo's width and height (0: none).</param>
/// <param name="LowScore">Use <see cref="FaceFinderOptions.FallbackMinScore"/> instead of the usual threshold.</param>
public sealed record FallbackStep(string Stage, string Detector, double Border, bool LowScore = false)
{
    /// <summary>
    /// The chain for a primary detector and the other one it falls back on, in order. Measured on the 218 photos of ../shared/data/faces/ (SSD at 0.5
    /// finds 173): a 50% border finds 41 more (most of the 150 px tight crops: SSD sees the whole photo as the face,
    /// too large for its anchors), a 100% border the last 4; the tiny detector and a lower score are there for what
    /// the border does not fix (LFW's benchmark: border 497 of 512 misses, then tiny, then score 0.3 leave 7).
    /// </summary>
    public static IReadOnlyList<FallbackStep> Chain(string primary, string other)
    {
        var steps = new List<FallbackStep>
        {
            new($"{primary}-border", primary, 0.5),
            new($"{primary}-border-wide", primary, 1.0),
        };
        if (other != primary)
        {
            steps.Add(new(other, other, 0));
            steps.Add(new($"{other}-border", other, 0.25));
        }
        steps.Add(new($"{primary}-low", primary, 0, LowScore: true));
        steps.Add(new($"{primary}-border-low", primary, 0.5, LowScore: true));
        return steps;
    }
}
