using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Contracts;
using Visage.Gallery.Storage;
using Visage.Matching;
using Visage.Recognition;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary><c>/api/v1/detect|embed|recognize|verify</c>: questions about the faces in images (recognize scope).</summary>
public static class AnalysisApi
{
    public static void MapAnalysis(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Faces in images").Secured(ApiKeyAuthentication.RecognizePolicy);
        api.MapPost("/detect", Detect).WithName("Detect").TakesImages()
            .WithSummary("Find faces: box, score and 68 landmarks for each");
        api.MapPost("/embed", Embed).WithName("Embed").TakesImages()
            .WithSummary("Find faces and compute each one's 128-d descriptor");
        api.MapPost("/recognize", Recognize).WithName("Recognize").TakesImages()
            .WithSummary("Every face in the image with its person's name, or null for unknown");
        api.MapPost("/verify", Verify).WithName("Verify").TakesImages()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Are two faces the same person? Two images (image1, image2), or one image and a personId");
    }

    /// <summary>Boxes, scores, landmarks.</summary>
    public static async Task<Results<Ok<FacesResponse>, ValidationProblem>> Detect(
        ImageRequest body, int? maxFaces, FacePipeline pipeline, HttpContext http) =>
        await Faces(body, maxFaces, pipeline, http, embed: false);

    /// <summary>Boxes, scores, landmarks and embeddings.</summary>
    public static async Task<Results<Ok<FacesResponse>, ValidationProblem>> Embed(
        ImageRequest body, int? maxFaces, FacePipeline pipeline, HttpContext http) =>
        await Faces(body, maxFaces, pipeline, http, embed: true);

    /// <summary>Who is in the picture.</summary>
    public static async Task<Results<Ok<RecognizeResponse>, ValidationProblem>> Recognize(
        ImageRequest body, string? mode, float? threshold, int? maxFaces, int? k,
        FacePipeline pipeline, GalleryHost galleries, HttpContext http)
    {
        var (options, errors) = Matching(mode, threshold, k);
        if (maxFaces is < 1) errors["maxFaces"] = ["maxFaces must be at least 1"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var upload = body.Single();
        var gallery = galleries.Matching;
        var analyzed = await pipeline.AnalyzeAsync(http, upload, embed: true);
        var recognized = Recognizer.Recognize(analyzed.Analysis, gallery, options, maxFaces ?? int.MaxValue);
        pipeline.Metrics.Recognized(recognized);
        return TypedResults.Ok(new RecognizeResponse(analyzed.Image.Width, analyzed.Image.Height,
            options!.Mode.ToString().ToLowerInvariant(), options.Threshold, [.. recognized.Faces.Select(f => RecognizedFaceJson.From(f))],
            recognized.Timings.ToDictionary()));
    }

    /// <summary>Same person or not.</summary>
    public static async Task<Results<Ok<VerifyResponse>, ValidationProblem, ProblemHttpResult>> Verify(
        ImageRequest body, float? threshold, FacePipeline pipeline, GalleryHost galleries, HttpContext http)
    {
        if (threshold is null && body.Fields.TryGetValue("threshold", out var t))
        {
            if (!float.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var parsed)) return Problems.Invalid("threshold", "threshold must be a number");
            threshold = parsed;
        }
        if (threshold is { } given && !(given >= 0)) return Problems.Invalid("threshold", "threshold must be a non-negative number");
        long? personId = null;
        if (body.Fields.TryGetValue("personId", out var pid))
        {
            if (!long.TryParse(pid, out var id)) return Problems.Invalid("personId", "personId must be an integer");
            personId = id;
        }

        if (personId is null)
        {
            if (body.Images.Count != 2) throw ProblemException.BadRequest($"Send two images (image1, image2), or one image and a personId; got {body.Images.Count} image(s).");
            var (_, a) = await pipeline.SingleFaceAsync(http, body.Images[0]);
            var (_, b) = await pipeline.SingleFaceAsync(http, body.Images[1]);
            return TypedResults.Ok(VerifyResponse.From(Recognizer.Verify(a.Embedding!, b.Embedding!, threshold)));
        }

        var gallery = galleries.Gallery;
        if (galleries.Read(g => g.GetPerson(personId.Value)) is null) return Problems.NotFound($"No person with id {personId}.");
        var (_, face) = await pipeline.SingleFaceAsync(http, body.Single());
        try
        {
            return TypedResults.Ok(VerifyResponse.From(galleries.Read(g => Recognizer.Verify(face.Embedding!, personId.Value, g, threshold))));
        }
        catch (PersonNotFoundException e)
        {
            return Problems.NotFound($"No person with id {e.PersonId}.");
        }
        catch (PersonNotEnrolledException e)
        {
            throw ProblemException.Unprocessable(e.Message);
        }
    }

    private static async Task<Results<Ok<FacesResponse>, ValidationProblem>> Faces(
        ImageRequest body, int? maxFaces, FacePipeline pipeline, HttpContext http, bool embed)
    {
        if (maxFaces is < 1) return Problems.Invalid("maxFaces", "maxFaces must be at least 1");
        var analyzed = await pipeline.AnalyzeAsync(http, body.Single(), embed);
        var faces = analyzed.Analysis.Faces.Take(maxFaces ?? int.MaxValue).Select(f => FaceJson.From(f, embedding: embed)).ToList();
        return TypedResults.Ok(new FacesResponse(analyzed.Image.Width, analyzed.Image.Height,
            embed ? pipeline.Analyzer.ModelId : null, faces, analyzed.Analysis.Timings.ToDictionary()));
    }

    private static (MatchingOptions? Options, Dictionary<string, string[]> Errors) Matching(string? mode, float? threshold, int? k)
    {
        var errors = new Dictionary<string, string[]>();
        MatchMode parsed = MatchMode.Nearest;
        if (mode is not null && !Enum.TryParse(mode, ignoreCase: true, out parsed) || !Enum.IsDefined(parsed))
            errors["mode"] = ["mode must be nearest, knn or centroid"];
        if (threshold is { } t && !(t >= 0)) errors["threshold"] = ["threshold must be a non-negative number"];
        if (k is < 1) errors["k"] = ["k must be at least 1"];
        if (errors.Count > 0) return (null, errors);
        var options = new MatchingOptions { Mode = parsed, K = k ?? MatchingOptions.DefaultK };
        return (threshold is { } given ? options with { Threshold = given } : options, errors);
    }
}
