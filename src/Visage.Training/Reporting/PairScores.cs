using System.Numerics.Tensors;
using Visage.Training.Data;

namespace Visage.Training.Reporting;

/// <summary>
/// The distances of every same-person (genuine) and different-person (impostor) pair of a labeled set, and the few
/// verification numbers the training report needs: a calibrated threshold, TAR at a FAR, and pair accuracy.
/// Deliberately minimal: the full ROC and evaluation tooling belongs to <c>visage eval</c>.
/// </summary>
public sealed class PairScores
{
    private PairScores(float[] genuine, float[] impostor)
    {
        Genuine = genuine;
        Impostor = impostor;
    }

    /// <summary>Euclidean distances of same-person pairs, ascending.</summary>
    public float[] Genuine { get; }

    /// <summary>Euclidean distances of different-person pairs, ascending.</summary>
    public float[] Impostor { get; }

    /// <summary>All pairs of <paramref name="data"/>.</summary>
    public static PairScores Of(LabeledVectors data)
    {
        var genuine = new List<float>();
        var impostor = new List<float>();
        for (var i = 0; i < data.Count; i++)
            for (var j = i + 1; j < data.Count; j++)
                (data.Labels[i] == data.Labels[j] ? genuine : impostor).Add(TensorPrimitives.Distance(data[i], data[j]));
        float[] g = [.. genuine], m = [.. impostor];
        Array.Sort(g);
        Array.Sort(m);
        return new PairScores(g, m);
    }

    /// <summary>
    /// The threshold with the best <see cref="PairAccuracy"/> (accuracy on as many genuine as impostor pairs): a
    /// midpoint between two neighboring observed distances.
    /// </summary>
    public float CalibrateThreshold()
    {
        var all = Genuine.Concat(Impostor).Distinct().Order().ToArray();
        if (all.Length == 0) return 0;
        float best = all[0] / 2, bestAccuracy = -1;
        for (var k = 0; k <= all.Length; k++)
        {
            var t = k == 0 ? all[0] / 2 : k == all.Length ? all[^1] + 1 : (all[k - 1] + all[k]) / 2;
            var accuracy = (float)PairAccuracy(t);
            if (accuracy > bestAccuracy) { bestAccuracy = accuracy; best = t; }
        }
        return best;
    }

    /// <summary>Accuracy on a balanced set of pairs at a threshold: the mean of the genuine accept rate and the impostor reject rate.</summary>
    public double PairAccuracy(float threshold) => (Below(Genuine, threshold) + (1 - Below(Impostor, threshold))) / 2;

    /// <summary>
    /// True accept rate at a false accept rate: the share of genuine pairs closer than the largest threshold that
    /// accepts at most <paramref name="far"/> of the impostor pairs.
    /// </summary>
    public double TarAtFar(double far)
    {
        if (Impostor.Length == 0 || Genuine.Length == 0) return double.NaN;
        var allowed = (int)Math.Floor(far * Impostor.Length); // impostors that may fall under the threshold
        var threshold = allowed >= Impostor.Length ? float.PositiveInfinity : Impostor[allowed]; // strictly below it: exactly `allowed` impostors
        return Below(Genuine, threshold);
    }

    /// <summary>Share of sorted <paramref name="distances"/> strictly below <paramref name="threshold"/>.</summary>
    private static double Below(float[] distances, float threshold)
    {
        if (distances.Length == 0) return double.NaN;
        var index = Array.BinarySearch(distances, threshold);
        if (index < 0) index = ~index;
        else while (index > 0 && distances[index - 1] == threshold) index--; // first equal value
        return (double)index / distances.Length;
    }
}
