using Visage.Matching;
using Visage.Matching.OpenSet;

namespace Visage.Cli;

/// <summary>The <c>--strictness</c> of <c>visage recognize</c> and <c>visage serve</c> (or <c>VISAGE_STRICTNESS</c>), read into matching options.</summary>
internal static class OperatingPoint
{
    /// <summary>The default options at the operating point written (a strictness or a rate; null or empty: the default, balanced).</summary>
    /// <exception cref="CliException">Neither a strictness nor a rate in (0, 1) (usage error).</exception>
    public static MatchingOptions Options(string? strictness)
    {
        if (string.IsNullOrWhiteSpace(strictness)) return MatchingOptions.Default;
        try { return MatchingOptions.At(OpenSetOptions.ParseOperatingPoint(strictness)); }
        catch (FormatException e) { throw new CliException(ExitCodes.Usage, $"--strictness: {e.Message}"); }
    }
}
