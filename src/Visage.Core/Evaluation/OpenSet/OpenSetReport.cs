using Visage.Matching.OpenSet;

namespace Visage.Evaluation.OpenSet;

/// <summary>A rate pooled over every deal of a cell, with its spread over the rounds.</summary>
/// <param name="Value">Pooled: events over trials, all rounds together.</param>
/// <param name="Std">Standard deviation of the per-round rates.</param>
/// <param name="Low">2.5th percentile of the per-round rates.</param>
/// <param name="High">97.5th percentile of the per-round rates.</param>
public sealed record SpreadRate(double Value, double Std, double Low, double High);

/// <summary>One point of an operating-point curve.</summary>
/// <param name="Target">The target false-accept rate asked for (null on a single-threshold curve).</param>
/// <param name="Named">Share of known probes named correctly.</param>
/// <param name="StrangersNamed">Share of strangers given a name.</param>
/// <param name="Threshold">The raw distance threshold of a single-threshold curve (null for the rule).</param>
public sealed record CurvePoint(double? Target, double Named, double StrangersNamed, double? Threshold = null);

/// <summary>The results of one (K, G) cell at the default operating point and along the curves.</summary>
/// <param name="Faces">K, or 0 for "half of each person's photos, 1 to 3".</param>
/// <param name="Gallery">G asked for, or 0 for every held-out person who qualifies.</param>
/// <param name="MeanGallery">Mean persons enrolled per deal.</param>
/// <param name="Deals">Galleries dealt.</param>
/// <param name="KnownProbes">Known probes over all deals.</param>
/// <param name="StrangerProbes">Stranger probes over all deals.</param>
/// <param name="Named">Known probes named correctly (DIR / TPIR).</param>
/// <param name="Wrong">Known probes given another person's name.</param>
/// <param name="StrangersNamed">Strangers given a name (FPIR).</param>
/// <param name="TooClose">Share of all probes answered "two people too close to tell".</param>
/// <param name="OracleNamedAtTarget">The best share named by one raw threshold on the nearest centroid, tuned on this cell's own probes so that at most the target share of strangers is named.</param>
/// <param name="OracleNamedAtSameRate">The same at the share of strangers the rule named.</param>
/// <param name="FixedNamed">The former default, the nearest-face rule at its fixed threshold: known probes named correctly.</param>
/// <param name="FixedStrangersNamed">The same rule: strangers named.</param>
/// <param name="Curve">The rule at each operating point.</param>
/// <param name="OracleCurve">One raw threshold swept over this cell's probes.</param>
public sealed record OpenSetCell(
    int Faces, int Gallery, double MeanGallery, int Deals, int KnownProbes, int StrangerProbes,
    SpreadRate Named, SpreadRate Wrong, SpreadRate StrangersNamed, double TooClose,
    double OracleNamedAtTarget, double OracleNamedAtSameRate, double FixedNamed, double FixedStrangersNamed,
    IReadOnlyList<CurvePoint> Curve, IReadOnlyList<CurvePoint> OracleCurve)
{
    /// <summary>K in words: "1" .. "5", or "half (1-3)".</summary>
    public string FacesLabel => Faces == OpenSetDealer.Half ? "half (1-3)" : Faces.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>G in words: "5", or "all (18.7)" with the mean dealt.</summary>
    public string GalleryLabel => Gallery == OpenSetDealer.All ? $"all ({MeanGallery:0.0})" : Gallery.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One bin of the reliability diagram.</summary>
/// <param name="Lower">Lower edge of the confidence bin.</param>
/// <param name="Upper">Upper edge.</param>
/// <param name="Count">Answers in it.</param>
/// <param name="MeanConfidence">Their mean confidence (null for an empty bin).</param>
/// <param name="Accuracy">The share of them that were right (null for an empty bin).</param>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double? MeanConfidence, double? Accuracy);

/// <summary>How well the confidence means what it says.</summary>
/// <param name="Answers">Answers scored (known and stranger probes of the cells included).</param>
/// <param name="ExpectedCalibrationError">ECE: the count-weighted mean over bins of |accuracy - mean confidence|.</param>
/// <param name="Bins">Ten equal-width bins.</param>
public sealed record ConfidenceCalibration(int Answers, double ExpectedCalibrationError, IReadOnlyList<ReliabilityBin> Bins);

/// <summary>The rule with several descriptors per probe (flips and small crops of the photo standing in for frames).</summary>
/// <param name="Descriptors">Descriptors averaged per probe.</param>
/// <param name="Named">Known probes named correctly.</param>
/// <param name="Wrong">Known probes given another name.</param>
/// <param name="StrangersNamed">Strangers named.</param>
public sealed record FramesResult(int Descriptors, SpreadRate Named, SpreadRate Wrong, SpreadRate StrangersNamed);

/// <summary>Everything <c>visage eval --openset</c> measured.</summary>
/// <param name="Dataset">The dataset folder.</param>
/// <param name="Persons">Persons in it.</param>
/// <param name="Photos">Photos in it.</param>
/// <param name="PhotosWithoutFace">Photos in which no face was found (never enrolled; as probes, a known one is a miss and a stranger is rejected).</param>
/// <param name="Settings">How galleries were dealt.</param>
/// <param name="HeldOutPersons">Persons held out of the fit in each round.</param>
/// <param name="Strangers">Of them, strangers per deal.</param>
/// <param name="FittedOnAll">The model fitted on every person (what ships as <see cref="OpenSetModel.Default"/>; not used for any figure here).</param>
/// <param name="RoundModels">Spread of the models fitted in the rounds: location and scale of the stranger distance for one face, mean ± std.</param>
/// <param name="Cells">Every (K, G) cell that could be dealt (a K needs G persons with more than K photos among the held-out ones).</param>
/// <param name="Confidence">Calibration of the confidence over every answer of every cell at the default operating point.</param>
/// <param name="TargetConfidence">The same over the "half" cell alone.</param>
/// <param name="Frames">The "half" cell with 1, 3 and 5 descriptors per probe (empty when frames were not computed).</param>
public sealed record OpenSetReport(
    string Dataset, int Persons, int Photos, int PhotosWithoutFace, OpenSetSettings Settings, int HeldOutPersons, int Strangers,
    OpenSetModel FittedOnAll, string RoundModels, IReadOnlyList<OpenSetCell> Cells,
    ConfidenceCalibration Confidence, ConfidenceCalibration TargetConfidence, IReadOnlyList<FramesResult> Frames)
{
    /// <summary>The cell of issue 19's first target: half of each held-out person's photos enrolled, every non-stranger enrolled.</summary>
    public OpenSetCell Target => Cells.First(c => c.Faces == OpenSetDealer.Half);
}
