using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Clustering;
using Visage.Contracts;
using Visage.Faces;
using Visage.Matching;
using Visage.Recognition;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary>
/// <c>POST /api/v1/cluster</c>: groups the faces of a batch of photos that are not in the gallery yet into people, and
/// for each group suggests the enrolled person to merge it into (the nearest person centroid under the identification
/// threshold), or none when it looks like someone new.
/// </summary>
public static class ClusterApi
{
    /// <summary>Most photos in one request: clustering is quadratic in the faces and every photo is analyzed.</summary>
    public const int MaxImages = 64;

    public static void MapCluster(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Faces in images").Secured(ApiKeyAuthentication.RecognizePolicy);
        api.MapPost("/cluster", Cluster).WithName("Cluster").TakesImages()
            .WithSummary($"Group the faces of up to {MaxImages} photos into people and suggest, per group, the enrolled person to merge it into");
    }

    /// <summary>Clusters the faces of every image sent (multipart files, or JSON properties holding data URLs).</summary>
    public static async Task<Results<Ok<ClusterResponse>, ValidationProblem>> Cluster(
        ImageRequest body, float? threshold, string? algorithm, FacePipeline pipeline, GalleryHost galleries, HttpContext http)
    {
        var options = new ClusteringOptions();
        if (threshold is { } t) options = options with { Threshold = t };
        if (algorithm is not null)
        {
            if (!Enum.TryParse<ClusteringAlgorithm>(algorithm.Replace("-", ""), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["algorithm"] = ["algorithm must be chinese-whispers or dbscan"] });
            options = options with { Algorithm = parsed };
        }
        if (!(options.Threshold > 0)) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["threshold"] = ["threshold must be a positive number"] });
        if (body.Images.Count == 0) throw ProblemException.BadRequest("Send the photos to cluster as multipart files or JSON data URLs.");
        if (body.Images.Count > MaxImages) throw ProblemException.BadRequest($"At most {MaxImages} photos per request; got {body.Images.Count}.");

        var faces = new List<(int Image, string Name, Face Face)>();
        for (var i = 0; i < body.Images.Count; i++)
        {
            var analyzed = await pipeline.AnalyzeAsync(http, body.Images[i], embed: true);
            faces.AddRange(analyzed.Analysis.Faces.Select(f => (i, body.Images[i].Name, f)));
        }
        var result = FaceClusterer.Cluster(faces.Select(f => f.Face.Embedding!).ToList(), options);

        var gallery = galleries.Matching;
        ClusterFaceDto Member(int k) => new(faces[k].Image, faces[k].Name, BoxJson.From(faces[k].Face.Box));
        var clusters = result.Clusters.Select(members =>
            new ClusterDto(members.Select(Member).ToList(), MergeSuggestionDto.From(MergeSuggestion.For(gallery, members.Select(k => faces[k].Face.Embedding!).ToList()))))
            .ToList();
        return TypedResults.Ok(new ClusterResponse(faces.Count, options.Threshold, AlgorithmName(options.Algorithm), MergeSuggestion.Options.Threshold,
            clusters, result.Unclustered.Select(Member).ToList()));
    }

    /// <summary>The algorithm's name on the wire.</summary>
    public static string AlgorithmName(ClusteringAlgorithm a) => a == ClusteringAlgorithm.Dbscan ? "dbscan" : "chinese-whispers";
}

/// <summary>A face of a clustered photo: which image (0-based, in the order sent), the field it came in, and its box.</summary>
public sealed record ClusterFaceDto(int Image, string Field, BoxJson Box);

/// <summary>The enrolled person a group of faces is probably (centroid distance under the threshold).</summary>
public sealed record MergeSuggestionDto(long PersonId, string Name, float Distance)
{
    /// <summary>The suggestion of <see cref="MergeSuggestion.For"/>, or null for someone new.</summary>
    public static MergeSuggestionDto? From(Match match) => match.IsKnown ? new(match.PersonId!.Value, match.Name!, match.Distance) : null;
}

/// <summary>One group of faces that look like the same person, and the person to merge it into, or null for someone new.</summary>
public sealed record ClusterDto(IReadOnlyList<ClusterFaceDto> Faces, MergeSuggestionDto? MergeInto);

/// <summary>The result of <c>POST /api/v1/cluster</c>.</summary>
public sealed record ClusterResponse(int FaceCount, float Threshold, string Algorithm, float MergeThreshold,
    IReadOnlyList<ClusterDto> Clusters, IReadOnlyList<ClusterFaceDto> Unclustered);
