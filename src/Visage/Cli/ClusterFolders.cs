using Visage.Clustering;
using Visage.Faces;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Cli;

/// <summary>One face of a clustering run: which photo, which face in it.</summary>
public sealed record ClusteredFace(PhotoAnalysis Photo, int Index, Face Face);

/// <summary>
/// Writes a clustering as folders: <c>cluster-01</c>, <c>cluster-02</c>, ... (largest first) and <c>unclustered</c>,
/// each holding the faces' aligned chips as JPEG named after their source photo (<c>IMG_0042.jpg</c>, or
/// <c>IMG_0042-face2.jpg</c> for a second face of one photo). Each photo is decoded once.
/// </summary>
public static class ClusterFolders
{
    /// <summary>The folder name of cluster <paramref name="index"/> (or -1: unclustered) among <paramref name="count"/> clusters.</summary>
    public static string Name(int index, int count) =>
        index < 0 ? "unclustered" : "cluster-" + (index + 1).ToString(new string('0', Math.Max(2, count.ToString().Length)));

    /// <summary>Writes every face's chip; returns each face's chip path, in the order of <paramref name="faces"/>.</summary>
    /// <exception cref="CliException">The output folder exists and is not empty.</exception>
    public static string[] Write(string root, IReadOnlyList<ClusteredFace> faces, ClusteringResult result, FaceAnalyzer analyzer, ImageDecoder decoder)
    {
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new CliException(ExitCodes.Usage, $"the output folder {root} is not empty: choose a new one");
        var paths = new string[faces.Count];
        var used = new HashSet<string>(StringComparer.Ordinal);
        var byPhoto = Enumerable.Range(0, faces.Count).GroupBy(i => faces[i].Photo.Path).ToList();
        ProgressBar.Run("writing chips", byPhoto.Count, step =>
        {
            foreach (var photo in byPhoto)
            {
                var image = decoder.DecodeFile(photo.Key);
                foreach (var i in photo)
                {
                    var folder = Path.Combine(root, Name(result.Labels[i], result.Clusters.Count));
                    Directory.CreateDirectory(folder);
                    paths[i] = UniquePath(folder, ChipName(faces[i]), used);
                    ImageEncoder.Save(analyzer.Chip(image, faces[i].Face), paths[i]);
                }
                step();
            }
            return 0;
        });
        return paths;
    }

    private static string ChipName(ClusteredFace face)
    {
        var stem = Path.GetFileNameWithoutExtension(face.Photo.Path);
        return face.Photo.Faces.Count > 1 ? $"{stem}-face{face.Index + 1}" : stem;
    }

    /// <summary>Two photos of one name in different subfolders get <c>-2</c>, <c>-3</c> ... in the same cluster.</summary>
    private static string UniquePath(string folder, string stem, HashSet<string> used)
    {
        var path = Path.Combine(folder, stem + ".jpg");
        for (var n = 2; !used.Add(path); n++) path = Path.Combine(folder, $"{stem}-{n}.jpg");
        return path;
    }
}
