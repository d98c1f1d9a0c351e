using System.Numerics.Tensors;
using Visage.Evaluation;
using Visage.Training.Data;

namespace Visage.Training.Reporting;

/// <summary>Every same-person and different-person pair of a labeled set, scored for <see cref="VerificationMetrics"/>.</summary>
public static class PairScores
{
    /// <summary>The Euclidean distance of every pair of <paramref name="data"/>.</summary>
    public static VerificationMetrics Of(LabeledVectors data)
    {
        var distances = new List<float>();
        var same = new List<bool>();
        for (var i = 0; i < data.Count; i++)
            for (var j = i + 1; j < data.Count; j++)
            {
                distances.Add(TensorPrimitives.Distance(data[i], data[j]));
                same.Add(data.Labels[i] == data.Labels[j]);
            }
        return new VerificationMetrics([.. distances], [.. same]);
    }
}
