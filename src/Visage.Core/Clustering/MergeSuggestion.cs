using System.Numerics.Tensors;
using Visage.Faces;
using Visage.Gallery;
using Visage.Matching;
using Visage.Recognition;

namespace Visage.Clustering;

/// <summary>
/// Which enrolled person a group of faces probably is: the decision of the centroid rule (the nearest person mean,
/// under the identification threshold) on the group's mean descriptor, or unknown for someone new.
/// </summary>
public static class MergeSuggestion
{
    /// <summary>The rule used: person centroids at the default identification threshold.</summary>
    public static MatchingOptions Options { get; } = new() { Mode = MatchMode.Centroid };

    /// <summary>The person to merge <paramref name="members"/> into (a known <see cref="Match"/>), or an unknown one.</summary>
    /// <exception cref="ArgumentException">No members, or members of another model than the gallery's.</exception>
    public static Match For(FaceGallery gallery, IReadOnlyList<FaceEmbedding> members)
    {
        ArgumentNullException.ThrowIfNull(gallery);
        if (members.Count == 0) throw new ArgumentException("a group has at least one face", nameof(members));
        var mean = new float[FaceEmbedding.Dimensions];
        foreach (var member in members) TensorPrimitives.Add(mean, member.Vector, mean);
        TensorPrimitives.Divide(mean, members.Count, mean);
        return Recognizer.Identify(gallery, new FaceEmbedding(mean, members[0].ModelId), Options);
    }
}
