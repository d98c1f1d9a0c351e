using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Matching;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary><c>/api/v1/detect|embed|recognize|verify</c>: questions about the faces in images (recognize scope).</summary>
public static class AnalysisApi
{
    /// <summary>verify compares one pair: the threshold calibrated for the best accuracy on balanced pairs.</summary>
    private static readonly float VerificationThreshold = ThresholdCalibration.For(DistanceMetric.Euclidean, ThresholdUse.Verification).Threshold;

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
        var faces = analyzed.Analysis.Faces.Take(maxFaces ?? int.MaxValue).Select(f =>
        {
            var m = gallery.Match(f.Embedding!, options);
            return new RecognizedFaceDto(BoxDto.From(f.Box), MathF.Round(f.Score, 4), m.PersonId, m.Name,
                float.IsFinite(m.Distance) ? m.Distance : null, m.FaceId, m.Votes);
        }).ToList();
        return TypedResults.Ok(new RecognizeResponse(analyzed.Image.Width, analyzed.Image.Height,
            options!.Mode.ToString().ToLowerInvariant(), options.Threshold, faces, analyzed.Analysis.Timings.ToDictionary()));
    }

    /// <summary>Same person or not.</summary>
    public static async Task<Results<Ok<VerifyResponse>, ValidationProblem, ProblemHttpResult>> Verify(
        ImageRequest body, float? threshold, FacePipeline pipeline, GalleryHost galleries, HttpContext http)
    {
        var limit = threshold ?? (body.Fields.TryGetValue("threshold", out var t) && float.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var ft) ? ft : VerificationThreshold);
        if (!(limit >= 0)) return Problems.Invalid("threshold", "threshold must be a non-negative number");
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
            var d = FaceDistance.Compute(a.Embedding!, b.Embedding!);
            return TypedResults.Ok(new VerifyResponse(d, limit, d < limit, null, null));
        }

        var gallery = galleries.Gallery;
        if (galleries.Read(g => g.GetPerson(personId.Value)) is not { } person)
            return Problems.NotFound($"No person with id {personId}.");
        var enrolled = galleries.Read(g => g.ListFaces(person.Id)).Where(f => f.Embedding.ModelId == gallery.ModelId).ToList();
        if (enrolled.Count == 0) throw ProblemException.Unprocessable($"Person {person.Id} ('{person.Name}') has no face enrolled with model {gallery.ModelId}.");
        var (_, face) = await pipeline.SingleFaceAsync(http, body.Single());
        // The nearest of the person's faces, as the nearest-face rule decides.
        var distance = enrolled.Min(f => FaceDistance.Compute(face.Embedding!, f.Embedding));
        return TypedResults.Ok(new VerifyResponse(distance, limit, distance < limit, person.Id, person.Name));
    }

    private static async Task<Results<Ok<FacesResponse>, ValidationProblem>> Faces(
        ImageRequest body, int? maxFaces, FacePipeline pipeline, HttpContext http, bool embed)
    {
        if (maxFaces is < 1) return Problems.Invalid("maxFaces", "maxFaces must be at least 1");
        var analyzed = await pipeline.AnalyzeAsync(http, body.Single(), embed);
        var faces = analyzed.Analysis.Faces.Take(maxFaces ?? int.MaxValue).Select(f => FaceDto.From(f, embed)).ToList();
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
