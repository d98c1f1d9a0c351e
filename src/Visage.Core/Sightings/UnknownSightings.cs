using Visage.Clustering;
using Visage.Gallery;
using Visage.Matching;

namespace Visage.Sightings;

/// <summary>A group of unknown sightings that look like one person, and the enrolled person it probably is (or null).</summary>
/// <param name="Sightings">The members, newest first.</param>
/// <param name="MergeInto">The centroid rule's answer for the group: a known match, or unknown for someone new.</param>
public sealed record SightingCluster(IReadOnlyList<Sighting> Sightings, Match MergeInto);

/// <summary>Unknown sightings grouped into probable people, so a user can enroll the neighbour who passes every day in one call.</summary>
/// <param name="Clusters">Groups of two or more sightings, largest first.</param>
/// <param name="Unclustered">Sightings that resemble no other.</param>
/// <param name="Options">How they were grouped.</param>
public sealed record UnknownGroups(IReadOnlyList<SightingCluster> Clusters, IReadOnlyList<Sighting> Unclustered, ClusteringOptions Options);

/// <summary>Groups unknown sightings with <see cref="FaceClusterer"/> and suggests a person per group with <see cref="MergeSuggestion"/>.</summary>
public static class UnknownSightings
{
    /// <summary>Clusters the descriptors of <paramref name="unknown"/> (those of the gallery's model; others are left out).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static UnknownGroups Group(FaceGallery gallery, IReadOnlyList<Sighting> unknown, ClusteringOptions? options = null)
    {
        options ??= new ClusteringOptions();
        var usable = unknown.Where(s => s.Face.Embedding?.ModelId == gallery.ModelId).ToList();
        if (usable.Count == 0) return new UnknownGroups([], [], options);
        var result = FaceClusterer.Cluster(usable.Select(s => s.Face.Embedding!).ToList(), options);
        var clusters = result.Clusters.Select(members =>
        {
            var sightings = members.Select(i => usable[i]).ToList();
            return new SightingCluster(sightings, MergeSuggestion.For(gallery, sightings.Select(s => s.Face.Embedding!).ToList()));
        }).ToList();
        return new UnknownGroups(clusters, result.Unclustered.Select(i => usable[i]).ToList(), options);
    }
}
