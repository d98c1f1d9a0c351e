using System.Numerics.Tensors;
using Visage.Gallery.Storage;
using Visage.Matching.OpenSet;

namespace Visage.Enrollment;

/// <summary>An enrolled face that lies far from the person's other faces: probably a photo of someone else filed under their name.</summary>
/// <param name="FaceId">The face.</param>
/// <param name="Distance">Its distance to the mean of the person's other faces.</param>
/// <param name="Confidence">The open-set model's probability that it is the same person as the other faces.</param>
/// <param name="Reason">Why it is flagged, in words.</param>
public sealed record SuspectFace(long FaceId, float Distance, double Confidence, string Reason);

/// <summary>
/// Finds probable mislabels among a person's enrolled faces: each face is asked whether the open-set rule would name
/// the person from their other faces alone (a gallery of one person, the face a probe) at the lenient operating point
/// (<see cref="Strictness.Lenient"/>: a stranger comes that close to them at most 5% of the time). A face that fails is
/// flagged. With only two faces the two fail or pass together (which one is wrong cannot be told); with one, nothing
/// can be said.
/// </summary>
public static class MislabelCheck
{
    /// <summary>The operating point of the check: only faces a stranger would more plausibly have are flagged.</summary>
    public static readonly OpenSetOptions Options = OpenSetOptions.For(Strictness.Lenient);

    /// <summary>The suspect faces among one person's faces (all of one descriptor model), in the given order.</summary>
    /// <param name="faces">The person's faces.</param>
    /// <param name="model">The open-set model (default <see cref="OpenSetModel.Default"/>).</param>
    /// <exception cref="ArgumentException">The faces are of several persons or several models.</exception>
    public static IReadOnlyList<SuspectFace> Check(IReadOnlyList<StoredFace> faces, OpenSetModel? model = null)
    {
        if (faces.Count < 2) return [];
        if (faces.Any(f => f.PersonId != faces[0].PersonId || f.Embedding.ModelId != faces[0].Embedding.ModelId))
            throw new ArgumentException("the faces must be one person's, of one descriptor model", nameof(faces));
        var rule = new OpenSetRule(model, Options);
        var others = new GalleryStatistics(1, faces.Count - 1, double.NaN, double.NaN);
        var width = faces[0].Embedding.Vector.Length;
        var sum = new float[width];
        foreach (var f in faces) TensorPrimitives.Add(sum, f.Embedding.Vector, sum);
        var suspects = new List<SuspectFace>();
        var mean = new float[width];
        foreach (var face in faces)
        {
            // The mean and spread of the other faces: their sum less this face, and their squared distances to that mean.
            TensorPrimitives.Subtract(sum, face.Embedding.Vector, mean);
            TensorPrimitives.Divide(mean, faces.Count - 1, mean);
            double spread = 0;
            foreach (var other in faces)
                if (!ReferenceEquals(other, face)) spread += Math.Pow(TensorPrimitives.Distance(other.Embedding.Vector, mean), 2);
            spread /= faces.Count - 1;
            var distance = TensorPrimitives.Distance(face.Embedding.Vector, mean);
            var decision = rule.Decide([new PersonCandidate(face.PersonId, distance, faces.Count - 1, (float)spread)], others);
            if (decision.IsKnown) continue;
            var reason = faces.Count == 2
                ? $"the person's two faces are {distance:0.00} apart, as far as two different people's usually are: one of them is probably someone else"
                : $"{distance:0.00} from the mean of the person's other {faces.Count - 1} faces, farther than the bar of {decision.Bar:0.00}: probably someone else";
            suspects.Add(new SuspectFace(face.Id, distance, decision.Candidates.Count > 0 ? decision.Candidates[0].Confidence : 0, reason));
        }
        return suspects;
    }
}
