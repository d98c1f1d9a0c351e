using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Contracts;
using Visage.Gallery.Storage;
using Visage.Matching;
using Visage.Matching.OpenSet;
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
            .WithSummary("Every face in the image with its person's name (or null for unknown), the confidence, the reason and the nearest candidates; with burst=true, several frames decided together");
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

    /// <summary>Most frames of one burst.</summary>
    public const int MaxBurstFrames = 8;

    /// <summary>Most candidates listed per face.</summary>
    public const int MaxCandidates = 100;

    /// <summary>
    /// Who is in the picture. With <c>burst=true</c> (query or form field) the request holds up to
    /// <see cref="MaxBurstFrames"/> frames of one camera, oldest first, and every face of the last frame is decided once
    /// from all the frames it appears in.
    /// </summary>
    public static async Task<Results<Ok<RecognizeResponse>, ValidationProblem>> Recognize(
        ImageRequest body, string? mode, float? threshold, int? maxFaces, int? k, string? strictness, int? candidates,
        FacePipeline pipeline, GalleryHost galleries, ServiceOptions service, HttpContext http)
    {
        var (options, errors) = Matching(service.Matching, mode, threshold, k, strictness, candidates);
        if (maxFaces is < 1) errors["maxFaces"] = ["maxFaces must be at least 1"];
        var burst = false;
        if (body.Fields.TryGetValue("burst", out var b) && !bool.TryParse(b, out burst)) errors["burst"] = ["burst must be true or false"];
        if (burst && body.Images.Count is 0 or > MaxBurstFrames) errors["burst"] = [$"a burst holds 1 to {MaxBurstFrames} images, oldest first; got {body.Images.Count}"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var frames = new List<AnalyzedImage>();
        foreach (var upload in burst ? body.Images : [body.Single()]) frames.Add(await pipeline.AnalyzeAsync(http, upload, embed: true));
        var gallery = galleries.Matching;
        var recognized = Recognizer.Recognize([.. frames.Select(f => f.Analysis)], gallery, options, maxFaces ?? int.MaxValue);
        var last = frames[^1].Image;
        return TypedResults.Ok(new RecognizeResponse(last.Width, last.Height, options!.Mode.ToString().ToLowerInvariant(),
            options.Mode == MatchMode.OpenSet && !options.ThresholdIsSet ? null : options.Threshold,
            options.Mode == MatchMode.OpenSet && !options.ThresholdIsSet ? options.OpenSet.TargetFalseAcceptRate : null,
            burst ? frames.Count : null, [.. recognized.Faces.Select(f => RecognizedFaceJson.From(f))], recognized.Timings.ToDictionary()));
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

    /// <summary>The service's matching options with a request's own choices on top, or the errors of the request's values.</summary>
    private static (MatchingOptions? Options, Dictionary<string, string[]> Errors) Matching(
        MatchingOptions defaults, string? mode, float? threshold, int? k, string? strictness, int? candidates)
    {
        var errors = new Dictionary<string, string[]>();
        var parsed = defaults.Mode;
        if (mode is not null && (!Enum.TryParse(mode, ignoreCase: true, out parsed) || !Enum.IsDefined(parsed) || mode.Any(char.IsDigit)))
            errors["mode"] = ["mode must be openset, nearest, knn or centroid"];
        if (threshold is { } t && !(t >= 0)) errors["threshold"] = ["threshold must be a non-negative number"];
        if (k is < 1) errors["k"] = ["k must be at least 1"];
        if (candidates is < 1 or > MaxCandidates) errors["candidates"] = [$"candidates must be between 1 and {MaxCandidates}"];
        var rate = defaults.OpenSet.TargetFalseAcceptRate;
        try { if (strictness is not null) rate = OpenSetOptions.ParseOperatingPoint(strictness); }
        catch (FormatException e) { errors["strictness"] = [e.Message]; }
        if (errors.Count > 0) return (null, errors);
        var options = defaults with
        {
            Mode = parsed,
            K = k ?? defaults.K,
            OpenSet = defaults.OpenSet with { TargetFalseAcceptRate = rate, Candidates = candidates ?? defaults.OpenSet.Candidates },
        };
        return (threshold is { } given ? options with { Threshold = given } : options, errors);
    }
}
