using System.CommandLine;
using Visage.Cli;
using Visage.Clustering;
using Visage.Contracts;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Commands;

/// <summary>
/// <c>visage cluster DIR [--out DIR2]</c>: every face of every photo under DIR, grouped into people with no labels.
/// With <c>--truth-from-folders</c> the clustering (which never sees the folder names) is scored against them.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "Folder of photos (subfolders included)" };
        var output = new Option<string?>("--out") { Description = "Write one folder of face chips per cluster, plus 'unclustered', here (a new or empty folder)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var algorithm = new Option<string>("--algorithm") { Description = "chinese-whispers (as dlib) or dbscan", DefaultValueFactory = _ => "chinese-whispers" };
        algorithm.AcceptOnlyFromAmong("chinese-whispers", "dbscan");
        var threshold = new Option<float?>("--threshold") { Description = "Link faces closer than this (default 0.5; with --head, the head's calibrated threshold). Lower is stricter" };
        var minSize = new Option<int>("--min-size") { Description = "Smaller clusters go to 'unclustered'", DefaultValueFactory = _ => 2 };
        var minPoints = new Option<int>("--min-points") { Description = "DBSCAN: neighbors (itself included) that make a core face", DefaultValueFactory = _ => 2 };
        var iterations = new Option<int>("--iterations") { Description = "Chinese whispers: passes over the faces", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed of the random order: same photos and seed, same clusters", DefaultValueFactory = _ => 0 };
        var truth = new Option<bool>("--truth-from-folders")
        {
            Description = "Score the result against the photos' folder names (one folder per person): pairwise and BCubed precision, recall, F1. Scores the face nearest each photo's center",
        };
        var pipeline = new PipelineOptions();
        var batch = new PhotoBatch();
        var command = new Command("cluster", "Group the faces of unlabeled photos into people") { folder, output, json, algorithm, threshold, minSize, minPoints, iterations, seed, truth };
        pipeline.AddTo(command);
        batch.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var root = r.GetValue(folder)!;
            var photos = PhotoFolder.Photos(root, recursive: true);
            var decoder = pipeline.Decoder(r);
            using var analyzer = new FaceAnalyzer(pipeline.Analyzer(r));
            var (analyses, failed) = batch.Analyze(r, photos, analyzer, decoder, "finding faces");

            var faces = analyses.SelectMany(a => a.Faces.Select((f, i) => new ClusteredFace(a, i, f))).ToList();
            var options = new ClusteringOptions
            {
                Algorithm = r.GetValue(algorithm) == "dbscan" ? ClusteringAlgorithm.Dbscan : ClusteringAlgorithm.ChineseWhispers,
                Threshold = r.GetValue(threshold) ?? analyzer.Options.Embedding.Head?.Threshold ?? new ClusteringOptions().Threshold,
                MinClusterSize = r.GetValue(minSize),
                MinPoints = r.GetValue(minPoints),
                Iterations = r.GetValue(iterations),
                Seed = r.GetValue(seed),
            };
            var result = FaceClusterer.Cluster(faces.Select(f => f.Face.Embedding!).ToList(), options);
            var chips = r.GetValue(output) is { } outDir ? ClusterFolders.Write(outDir, faces, result, analyzer, decoder) : null;
            var score = r.GetValue(truth) ? ScoreAgainstFolders(root, faces, result) : null;

            var clusters = result.Clusters.Select((members, c) => new ClusterJson(ClusterFolders.Name(c, result.Clusters.Count),
                members.Select(i => FaceRef(faces[i], chips?[i])).ToList())).ToList();
            var report = new ClusterReportJson(analyzer.ModelId, AlgorithmName(options.Algorithm), options.Threshold, options.Seed,
                photos.Count, faces.Count, result.EdgeCount, clusters,
                result.Unclustered.Select(i => FaceRef(faces[i], chips?[i])).ToList(),
                analyses.Where(a => a.Faces.Count == 0).Select(a => a.Path).ToList(),
                failed.Select(f => new FailedJson(f.Path, f.Error)).ToList(),
                score);
            if (r.GetValue(json)) JsonOutput.Print(report);
            else PrintText(report, r.GetValue(output));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string AlgorithmName(ClusteringAlgorithm a) => a == ClusteringAlgorithm.Dbscan ? "dbscan" : "chinese-whispers";

    private static FaceRefJson FaceRef(ClusteredFace f, string? chip) =>
        new(f.Photo.Path, f.Index, BoxJson.From(f.Face.Box), chip);

    /// <summary>
    /// Labels each photo's subject face (nearest the center: labeled portraits may show a neighbor at an edge) with
    /// its folder; other faces are clustered but not scored, since nobody labeled them.
    /// </summary>
    private static ClusteringScore ScoreAgainstFolders(string root, IReadOnlyList<ClusteredFace> faces, ClusteringResult result)
    {
        var predicted = new List<int>();
        var truth = new List<int>();
        var people = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < faces.Count; i++)
        {
            if (!ReferenceEquals(faces[i].Photo.Subject(), faces[i].Face)) continue;
            var person = Path.GetRelativePath(root, Path.GetDirectoryName(faces[i].Photo.Path)!);
            if (!people.TryGetValue(person, out var label)) people[person] = label = people.Count;
            predicted.Add(result.Labels[i]);
            truth.Add(label);
        }
        return ClusteringMetrics.Score(predicted.ToArray(), truth.ToArray());
    }

    private static void PrintText(ClusterReportJson report, string? outDir)
    {
        Console.WriteLine($"{report.Faces} face(s) in {report.Photos} photo(s): {report.Clusters.Count} cluster(s), {report.Unclustered.Count} unclustered ({report.Algorithm}, threshold {report.Threshold:0.###}, model {report.ModelId})");
        foreach (var c in report.Clusters)
            Console.WriteLine($"  {c.Name,-12} {c.Faces.Count,4} face(s)  {string.Join(", ", c.Faces.Take(4).Select(f => Path.GetFileName(f.Photo)))}{(c.Faces.Count > 4 ? ", ..." : "")}");
        if (report.PhotosWithoutFaces.Count > 0) Console.WriteLine($"  no face found in {report.PhotosWithoutFaces.Count} photo(s)");
        if (outDir is not null) Console.WriteLine($"chips written to {outDir}");
        if (report.Score is { } s)
        {
            Console.WriteLine($"against the folders: {s.Items} faces of {s.Classes} people in {s.Clusters} clusters + {s.Unclustered} unclustered");
            Console.WriteLine($"  pairwise precision {s.PairwisePrecision:0.000} recall {s.PairwiseRecall:0.000} F1 {s.PairwiseF1:0.000}");
            Console.WriteLine($"  BCubed   precision {s.BCubedPrecision:0.000} recall {s.BCubedRecall:0.000} F1 {s.BCubedF1:0.000}");
        }
    }

    private sealed record ClusterReportJson(string ModelId, string Algorithm, float Threshold, int Seed, int Photos, int Faces, int Edges,
        IReadOnlyList<ClusterJson> Clusters, IReadOnlyList<FaceRefJson> Unclustered, IReadOnlyList<string> PhotosWithoutFaces,
        IReadOnlyList<FailedJson> Failed, ClusteringScore? Score);

    private sealed record ClusterJson(string Name, IReadOnlyList<FaceRefJson> Faces);

    private sealed record FaceRefJson(string Photo, int Face, BoxJson Box, string? Chip);

    private sealed record FailedJson(string Photo, string Error);
}
