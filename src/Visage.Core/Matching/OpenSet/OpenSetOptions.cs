namespace Visage.Matching.OpenSet;

/// <summary>Named operating points, for users who would rather not pick a rate.</summary>
public enum Strictness
{
    /// <summary>About 5% of strangers named: more known faces named, for a gallery where a wrong guess is cheap.</summary>
    Lenient,

    /// <summary>About 1% of strangers named (the default).</summary>
    Balanced,

    /// <summary>About 0.1% of strangers named, at the cost of more known faces left unknown.</summary>
    Strict,
}

/// <summary>How <see cref="OpenSetRule"/> decides: the operating point the user chose, not a raw distance.</summary>
public sealed record OpenSetOptions
{
    /// <summary>The default operating point: 1% of strangers named, whatever the gallery's size.</summary>
    public const double DefaultTargetFalseAcceptRate = 0.01;

    /// <summary>The defaults.</summary>
    public static OpenSetOptions Default { get; } = new();

    /// <summary>
    /// The share of strangers (faces of no enrolled person) that may be given a name, in (0, 1); default 0.01.
    /// Lower is stricter. The rule spreads it over the enrolled persons, so it holds for 5 persons and for 5,000.
    /// </summary>
    public double TargetFalseAcceptRate { get; init; } = DefaultTargetFalseAcceptRate;

    /// <summary>
    /// For experts: a raw Euclidean distance to the person's centroid under which the nearest person is named,
    /// whatever the gallery (the operating point is then ignored). Null (the default) lets the gallery decide.
    /// </summary>
    public float? Threshold { get; init; }

    /// <summary>
    /// The prior probability that a face belongs to no enrolled person, used only for <see cref="OpenSetDecision.Confidence"/>
    /// (default 0.5: as likely a stranger as someone enrolled). Set it to the share of strangers the camera really sees.
    /// </summary>
    public double StrangerPrior { get; init; } = 0.5;

    /// <summary>
    /// When the two nearest persons both pass the bar, the nearer is named only if it holds at least this share of
    /// their joint probability (default 0.9, a round number no run tuned); otherwise the answer is unknown, "two
    /// people too close to tell". On held-out persons (docs/ACCURACY.md) it answered at most 0.24% of a cell's probes
    /// and wrong names stayed at or under 0.03%.
    /// </summary>
    public double MinimumLeadShare { get; init; } = 0.9;

    /// <summary>How many candidates (nearest persons, with distance and confidence) every answer lists; default 1 (CompreFace's <c>prediction_count</c>).</summary>
    public int Candidates { get; init; } = 1;

    /// <summary>The operating point of a named strictness.</summary>
    public static OpenSetOptions For(Strictness strictness) => Default with { TargetFalseAcceptRate = RateOf(strictness) };

    /// <summary>The share of strangers a named strictness lets through: 5%, 1% or 0.1%.</summary>
    public static double RateOf(Strictness strictness) => strictness switch
    {
        Strictness.Lenient => 0.05,
        Strictness.Strict => 0.001,
        _ => DefaultTargetFalseAcceptRate,
    };

    /// <summary>
    /// The target false-accept rate a user wrote (a setting, a query parameter, a command-line option): a strictness
    /// (<c>lenient</c>, <c>balanced</c>, <c>strict</c>, any case) or a rate in (0, 1) such as <c>0.005</c>.
    /// </summary>
    /// <exception cref="FormatException">Neither a strictness nor a number in (0, 1).</exception>
    public static double ParseOperatingPoint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var word = text.Trim();
        if (word.Length > 0 && word.All(char.IsLetter) && Enum.TryParse<Strictness>(word, ignoreCase: true, out var named)) return RateOf(named);
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var rate) && rate > 0 && rate < 1)
            return rate;
        throw new FormatException($"'{text}' is not a strictness (lenient, balanced, strict) nor a false-accept rate between 0 and 1 such as 0.005");
    }

    /// <summary>The operating point in words, e.g. <c>balanced (1% of strangers named)</c> or <c>0.5% of strangers named</c>.</summary>
    public string DescribeOperatingPoint()
    {
        var share = $"{TargetFalseAcceptRate * 100:0.###}% of strangers named";
        foreach (var s in Enum.GetValues<Strictness>())
            if (RateOf(s) == TargetFalseAcceptRate) return $"{s.ToString().ToLowerInvariant()} ({share})";
        return share;
    }

    /// <summary>Checks the values, so a bad setting fails at start rather than on the first face.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate or share outside (0, 1), a negative or NaN threshold, or fewer than 1 candidate.</exception>
    public void Validate()
    {
        if (!(TargetFalseAcceptRate > 0 && TargetFalseAcceptRate < 1)) throw new ArgumentOutOfRangeException(nameof(TargetFalseAcceptRate), TargetFalseAcceptRate, "the target false-accept rate must lie in (0, 1)");
        if (Threshold is { } t && !(t >= 0)) throw new ArgumentOutOfRangeException(nameof(Threshold), t, "the threshold must be a non-negative number");
        if (!(StrangerPrior > 0 && StrangerPrior < 1)) throw new ArgumentOutOfRangeException(nameof(StrangerPrior), StrangerPrior, "the stranger prior must lie in (0, 1)");
        if (!(MinimumLeadShare >= 0.5 && MinimumLeadShare < 1)) throw new ArgumentOutOfRangeException(nameof(MinimumLeadShare), MinimumLeadShare, "the lead share must lie in [0.5, 1)");
        ArgumentOutOfRangeException.ThrowIfLessThan(Candidates, 1, nameof(Candidates));
    }
}
