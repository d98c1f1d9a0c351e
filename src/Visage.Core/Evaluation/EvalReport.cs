using System.Text.Json.Serialization;

namespace Visage.Evaluation;

/// <summary>Everything one <c>visage eval</c> run measured.</summary>
/// <param name="Dataset">The dataset folder.</param>
/// <param name="Persons">Persons in it.</param>
/// <param name="Photos">Photos in it.</param>
/// <param name="Pairs">Where the pairs came from (<see cref="PairSet.Source"/>).</param>
/// <param name="PairCount">Number of pairs.</param>
/// <param name="Folds">Cross-validation folds.</param>
/// <param name="ShuffledLabels">True when the photos' labels were shuffled (a sanity check: results should be chance).</param>
/// <param name="Seed">The seed of pair dealing, the identification split and the shuffle.</param>
/// <param name="Variants">Results per configuration.</param>
public sealed record EvalReport(
    string Dataset, int Persons, int Photos, string Pairs, int PairCount, int Folds, bool ShuffledLabels, int Seed,
    IReadOnlyList<VariantReport> Variants);

/// <summary>The results of one configuration.</summary>
/// <param name="Name">Short name.</param>
/// <param name="Description">What it is.</param>
/// <param name="ModelId">The embedding space.</param>
/// <param name="Metric">The distance (<c>euclidean</c>, <c>cosine</c>).</param>
/// <param name="PhotosWithoutFace">Photos in which no face was found.</param>
/// <param name="Stages">How many subject faces each detection stage found.</param>
/// <param name="Verification">The pairs protocol.</param>
/// <param name="Identification">The gallery/probe protocol at the open-set threshold.</param>
/// <param name="WorstFalseAccepts">Different-person pairs closest under the calibrated threshold, worst first.</param>
/// <param name="WorstFalseRejects">Same-person pairs farthest over it (both faces found), worst first.</param>
public sealed record VariantReport(
    string Name, string Description, string ModelId, string Metric,
    IReadOnlyList<string> PhotosWithoutFace, IReadOnlyDictionary<string, int> Stages,
    VerificationReport Verification, IdentificationResult Identification,
    IReadOnlyList<PairError> WorstFalseAccepts, IReadOnlyList<PairError> WorstFalseRejects)
{
    /// <summary>Distances of same-person pairs where both faces were found (for plots).</summary>
    [JsonIgnore] public float[] SameDistances { get; init; } = [];

    /// <summary>Distances of different-person pairs where both faces were found (for plots).</summary>
    [JsonIgnore] public float[] DifferentDistances { get; init; } = [];

    /// <summary>The ROC curve over all pairs (for plots).</summary>
    [JsonIgnore] public IReadOnlyList<RocPoint> Roc { get; init; } = [];

    /// <summary>The subject face of each photo of the dataset, by photo index (for contact sheets).</summary>
    [JsonIgnore] public IReadOnlyList<PhotoSubject> Faces { get; init; } = [];
}

/// <summary>The verification (pairs) protocol's figures.</summary>
/// <param name="Pairs">Pairs evaluated.</param>
/// <param name="PairsWithoutFace">Pairs with a photo in which no face was found.</param>
/// <param name="Accuracy">Mean 10-fold accuracy, usual accounting (such a pair decided "not the same").</param>
/// <param name="AccuracyStd">Its standard deviation over folds.</param>
/// <param name="StrictAccuracy">Mean 10-fold accuracy with every such pair an error.</param>
/// <param name="StrictAccuracyStd">Its standard deviation over folds.</param>
/// <param name="Auc">Area under the ROC curve (all pairs; unscored pairs at distance +infinity).</param>
/// <param name="EqualErrorRate">Equal error rate.</param>
/// <param name="TarAtFar1e2">True accept rate at a false accept rate of at most 1e-2.</param>
/// <param name="TarAtFar1e3">True accept rate at a false accept rate of at most 1e-3.</param>
/// <param name="Threshold">The calibrated threshold: best accuracy on all pairs.</param>
/// <param name="ThresholdAccuracy">Accuracy on all pairs at that threshold.</param>
/// <param name="ThresholdFar">False accept rate at that threshold.</param>
/// <param name="ThresholdTar">True accept rate at that threshold.</param>
/// <param name="FoldThresholdMean">Mean of the ten thresholds chosen on nine folds.</param>
/// <param name="FoldThresholdStd">Their standard deviation.</param>
public sealed record VerificationReport(
    int Pairs, int PairsWithoutFace, double Accuracy, double AccuracyStd, double StrictAccuracy, double StrictAccuracyStd,
    double Auc, double EqualErrorRate, double TarAtFar1e2, double TarAtFar1e3,
    float Threshold, double ThresholdAccuracy, double ThresholdFar, double ThresholdTar, double FoldThresholdMean, double FoldThresholdStd)
{
    /// <summary>The open-set (identification) threshold, calibrated on other splits (<see cref="IdentificationProtocol.CalibrateOpenSet"/>).</summary>
    public float OpenSetThreshold { get; init; }

    /// <summary>False accept rate of the pairs at <see cref="OpenSetThreshold"/>.</summary>
    public double OpenSetFar { get; init; }

    /// <summary>True accept rate of the pairs at <see cref="OpenSetThreshold"/>.</summary>
    public double OpenSetTar { get; init; }
}

/// <summary>A misjudged pair.</summary>
/// <param name="A">First photo (<c>person/file</c>).</param>
/// <param name="B">Second photo.</param>
/// <param name="Same">True for a same-person pair.</param>
/// <param name="Distance">Its distance.</param>
public sealed record PairError(string A, string B, bool Same, float Distance);
