using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Evaluation;

/// <summary>How <see cref="Evaluator"/> runs.</summary>
public sealed record EvalSettings
{
    /// <summary>Seed of pair dealing, the identification split and the label shuffle (default <see cref="PairSet.DefaultSeed"/>).</summary>
    public int Seed { get; init; } = PairSet.DefaultSeed;

    /// <summary>Shuffle which photo carries which face before scoring: a sanity check whose accuracy must fall to chance.</summary>
    public bool ShuffleLabels { get; init; }

    /// <summary>Share of persons left out of the identification gallery as strangers (default 0.25).</summary>
    public double StrangerShare { get; init; } = IdentificationProtocol.DefaultStrangerShare;

    /// <summary>Folder of the analysis cache (<see cref="FaceAnalysisCache"/>), or null to compute everything afresh.</summary>
    public string? CacheDirectory { get; init; } = FaceAnalysisCache.DefaultDirectory;

    /// <summary>How many of the worst false accepts and false rejects a report lists (default 8).</summary>
    public int WorstPairs { get; init; } = 8;

    /// <summary>Decoder limits.</summary>
    public ImagingOptions Imaging { get; init; } = new();
}

/// <summary>Progress of the embedding pass: photos done of the total, for the variant named.</summary>
/// <param name="Variant">The variant whose faces are being computed.</param>
/// <param name="Done">Photos done.</param>
/// <param name="Total">Photos in all.</param>
/// <param name="FromCache">Photos taken from the cache so far.</param>
public readonly record struct EvalProgress(string Variant, int Done, int Total, int FromCache);
