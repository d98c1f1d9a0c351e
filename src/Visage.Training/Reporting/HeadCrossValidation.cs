using Visage.Training.Data;

namespace Visage.Training.Reporting;

/// <summary>Verification numbers of one embedding on held-out identities.</summary>
/// <param name="TarAtFar1">TAR at FAR 1e-2.</param>
/// <param name="TarAtFar01">TAR at FAR 1e-3 (noisy below about 1,000 impostor pairs).</param>
/// <param name="PairAccuracy">Balanced pair accuracy at the threshold calibrated on the training identities.</param>
/// <param name="Threshold">That threshold.</param>
public sealed record VerificationNumbers(double TarAtFar1, double TarAtFar01, double PairAccuracy, float Threshold);

/// <summary>One fold: the identities in it were never seen by the head it measures.</summary>
/// <param name="Fold">0-based fold.</param>
/// <param name="TestIdentities">Identities held out.</param>
/// <param name="GenuinePairs">Same-person pairs among them.</param>
/// <param name="ImpostorPairs">Different-person pairs among them.</param>
/// <param name="Plain">The plain descriptors (no head).</param>
/// <param name="Head">Through the head trained on the other folds.</param>
/// <param name="BestEpoch">The head's early-stopping epoch.</param>
public sealed record FoldReport(int Fold, int TestIdentities, int GenuinePairs, int ImpostorPairs, VerificationNumbers Plain, VerificationNumbers Head, int BestEpoch);

/// <summary>
/// Does a head help on people it was not trained on? K-fold cross-validation over identities: each fold's people
/// are held out, a head is trained (with its own validation split for early stopping) on the rest, thresholds for
/// the plain descriptors and for the head are calibrated on the rest, and both are measured on the held-out people.
/// </summary>
public static class HeadCrossValidation
{
    /// <summary>Runs every fold.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than two folds or more folds than identities.</exception>
    public static IReadOnlyList<FoldReport> Run(LabeledVectors data, int folds, TrainingOptions options, Action<FoldReport>? onFold = null)
    {
        var foldOf = IdentitySplit.Folds(data.Labels, folds, options.Seed);
        var reports = new List<FoldReport>();
        for (var fold = 0; fold < folds; fold++)
        {
            var test = data.Select(Rows(foldOf, f => f == fold));
            var rest = data.Select(Rows(foldOf, f => f != fold));
            var (trainRows, validationRows) = IdentitySplit.Split(rest.Labels, options.ValidationFraction, options.Seed + fold);
            var result = HeadTrainer.Train(rest.Select(trainRows), rest.Select(validationRows), options);

            var plain = Measure(rest, test);
            var head = Measure(HeadTrainer.Project(result.Network, rest), HeadTrainer.Project(result.Network, test));
            var testScores = PairScores.Of(test);
            var report = new FoldReport(fold, test.Identities, testScores.SameCount, testScores.DifferentCount, plain, head, result.BestEpoch);
            reports.Add(report);
            onFold?.Invoke(report);
        }
        return reports;
    }

    /// <summary>The mean of each number over folds.</summary>
    public static (VerificationNumbers Plain, VerificationNumbers Head) Mean(IReadOnlyList<FoldReport> folds) =>
        (Average(folds.Select(f => f.Plain).ToList()), Average(folds.Select(f => f.Head).ToList()));

    private static VerificationNumbers Measure(LabeledVectors calibration, LabeledVectors test)
    {
        var threshold = PairScores.Of(calibration).BestBalancedThreshold().Threshold;
        var scores = PairScores.Of(test);
        return new VerificationNumbers(scores.TarAtFar(1e-2), scores.TarAtFar(1e-3), scores.BalancedAccuracy(threshold), threshold);
    }

    private static VerificationNumbers Average(IReadOnlyList<VerificationNumbers> n) => new(
        n.Average(x => x.TarAtFar1), n.Average(x => x.TarAtFar01), n.Average(x => x.PairAccuracy), n.Average(x => x.Threshold));

    private static int[] Rows(int[] foldOf, Func<int, bool> keep) => Enumerable.Range(0, foldOf.Length).Where(i => keep(foldOf[i])).ToArray();
}
