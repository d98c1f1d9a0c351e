namespace Visage.Clustering;

/// <summary>Faces grouped into clusters.</summary>
/// <param name="Labels">Per input face, the index of its cluster in <paramref name="Clusters"/>, or -1 when unclustered.</param>
/// <param name="Clusters">Each cluster's face indices, ascending; clusters largest first (ties: smallest first face first).</param>
/// <param name="Unclustered">Faces in no cluster (noise, or a group smaller than the minimum size), ascending.</param>
/// <param name="EdgeCount">Pairs of faces closer than the threshold.</param>
public sealed record ClusteringResult(int[] Labels, IReadOnlyList<int[]> Clusters, int[] Unclustered, int EdgeCount);
