using System.Globalization;
using System.Text.Json.Serialization;
using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Recognition;
using Visage.Serve.CompreFace;
using Visage.Serve.Keys;

namespace Visage.Serve.DeepStack;

/// <summary>
/// DeepStack's face API, which CodeProject.AI serves too (Double Take's <c>deepstack</c> and <c>aiserver</c> detectors,
/// Viseron, Home Assistant's <c>deepstack_face</c>, Blue Iris), as thin mappings onto Visage's verbs: a <c>userid</c> is a
/// Visage person, <c>confidence</c> is the decision's calibrated confidence (the probability that the name is right),
/// and a face below <c>min_confidence</c> is <c>"unknown"</c> with confidence 0. Unlike DeepStack, <c>register</c> adds the photos
/// to the person's faces instead of replacing them with one mean descriptor.
/// </summary>
public static class DeepStackApi
{
    /// <summary>DeepStack's default <c>min_confidence</c> for recognition (CodeProject.AI uses 0.4).</summary>
    public const float DefaultRecognitionConfidence = 0.67f;

    /// <summary>DeepStack's default <c>min_confidence</c> for detection.</summary>
    public const float DefaultDetectionConfidence = 0.55f;

    public static void MapDeepStack(this IEndpointRouteBuilder app)
    {
        var face = app.MapGroup("/v1/vision/face").WithTags("DeepStack compatible").RequireRateLimiting(RateLimits.PerKey);
        Route(face.MapPost("", Detect), KeyScope.Recognize, "DeepStackDetect", "Every face's box and detector score (min_confidence, default 0.55); /v1/vision/face/ (DeepStack's own route) too");
        Route(face.MapPost("/recognize", Recognize), KeyScope.Recognize, "DeepStackRecognize",
            "Every face with its person, or \"unknown\" below min_confidence (default 0.67)");
        Route(face.MapPost("/register", Register), KeyScope.Admin, "DeepStackRegister", "Add the face of every photo sent to the person userid (created when missing)");
        Route(face.MapPost("/list", List), KeyScope.Admin, "DeepStackList", "Every person's userid");
        Route(face.MapPost("/delete", Delete), KeyScope.Admin, "DeepStackDelete", "Delete the person userid and all their faces");
        Route(face.MapPost("/match", Match), KeyScope.Recognize, "DeepStackMatch", "The similarity of the faces of two photos");
    }

    private static void Route(RouteHandlerBuilder route, KeyScope scope, string name, string summary) =>
        route.AddEndpointFilter(new DeepStackFilter(scope)).WithName(name).WithSummary(summary)
            .Produces<DeepStackErrorBody>(StatusCodes.Status400BadRequest).Produces<DeepStackErrorBody>(StatusCodes.Status401Unauthorized);

    public static async Task<IResult> Detect(HttpContext http, FacePipeline pipeline)
    {
        var body = DeepStackFilter.Body(http);
        var least = MinConfidence(body, DefaultDetectionConfidence);
        var analyzed = await pipeline.AnalyzeAsync(http, Image(body), embed: false);
        var predictions = analyzed.Analysis.Faces.Where(f => f.Score >= least)
            .Select(f => DeepStackFace.From(f, analyzed, MathF.Round(f.Score, 5), null)).ToList();
        return Results.Ok(new DeepStackPredictions(true, predictions, 0));
    }

    public static async Task<IResult> Recognize(HttpContext http, FacePipeline pipeline, GalleryHost galleries, ServiceOptions service)
    {
        var body = DeepStackFilter.Body(http);
        var least = MinConfidence(body, DefaultRecognitionConfidence);
        var analyzed = await pipeline.AnalyzeAsync(http, Image(body), embed: true);
        var recognized = Recognizer.Recognize(analyzed.Analysis, galleries.Matching, service.Matching);
        var predictions = recognized.Faces.Select(r =>
        {
            var confidence = (float)Math.Round(r.Match.Confidence, 5);
            // The decision names a person or not; min_confidence is the client's own, stricter or looser, bar on top of it.
            return r.Match.IsKnown && confidence >= least
                ? DeepStackFace.From(r.Face, analyzed, confidence, r.Match.Name)
                : DeepStackFace.From(r.Face, analyzed, 0, "unknown");
        }).ToList();
        return Results.Ok(new DeepStackPredictions(true, predictions, 0));
    }

    public static async Task<IResult> Register(HttpContext http, FaceEnrollment enrollments, GalleryHost galleries)
    {
        var body = DeepStackFilter.Body(http);
        var userid = UserId(body);
        if (body.Images.Count == 0) throw new DeepStackError(StatusCodes.Status400BadRequest, "No valid image file found");
        var existed = galleries.Read(g => g.FindPerson(userid)) is not null;
        var force = body.Fields.TryGetValue("force", out var f) && bool.TryParse(f, out var forced) && forced; // Visage's own: take a face below the quality bar
        foreach (var image in body.Images) await enrollments.EnrollAsync(http, g => g.GetOrCreatePerson(userid).Id, image, force);
        return Results.Ok(new DeepStackMessage(true, existed ? "face updated" : "face added"));
    }

    public static IResult List(GalleryHost galleries)
    {
        var names = new List<string>();
        galleries.Read(g =>
        {
            for (var offset = 0; ; offset += PersonsApi.MaxPageSize)
            {
                var page = g.ListPersons(offset, PersonsApi.MaxPageSize);
                names.AddRange(page.Select(p => p.Name));
                if (page.Count < PersonsApi.MaxPageSize) return names;
            }
        });
        return Results.Ok(new DeepStackFaces(true, names));
    }

    public static IResult Delete(HttpContext http, GalleryHost galleries)
    {
        var userid = UserId(DeepStackFilter.Body(http));
        galleries.Write(g => g.FindPerson(userid) is { } p && g.DeletePerson(p.Id));
        return Results.Ok(new DeepStackMessage(true, null));
    }

    public static async Task<IResult> Match(HttpContext http, FacePipeline pipeline)
    {
        var body = DeepStackFilter.Body(http);
        if (body.Images.Count != 2) throw new DeepStackError(StatusCodes.Status400BadRequest, "Send two images (image1 and image2)");
        var (_, a) = await pipeline.SingleFaceAsync(http, body.Images[0]);
        var (_, b) = await pipeline.SingleFaceAsync(http, body.Images[1]);
        var verdict = Recognizer.Verify(a.Embedding!, b.Embedding!);
        return Results.Ok(new DeepStackSimilarity(true, (float)CompreFaceNumbers.Similarity(verdict.Distance, verdict.Threshold), 0));
    }

    private static UploadedImage Image(ImageRequest body) =>
        body.Images.FirstOrDefault(i => i.Name == "image") ?? body.Images.FirstOrDefault()
        ?? throw new DeepStackError(StatusCodes.Status400BadRequest, "No valid image file found");

    private static float MinConfidence(ImageRequest body, float fallback)
    {
        if (!body.Fields.TryGetValue("min_confidence", out var text) || text.Length == 0) return fallback;
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 1
            ? v : throw new DeepStackError(StatusCodes.Status400BadRequest, "Invalid value for min_confidence");
    }

    private static string UserId(ImageRequest body) =>
        body.Fields.TryGetValue("userid", out var id) && id.Trim().Length > 0 ? id.Trim() : throw new DeepStackError(StatusCodes.Status400BadRequest, "userid not specified");
}

/// <summary>One face: its box (integer corners), confidence and, for recognition, its person or "unknown".</summary>
public sealed record DeepStackFace(
    [property: JsonPropertyName("confidence")] float Confidence,
    [property: JsonPropertyName("userid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserId,
    [property: JsonPropertyName("x_min")] int XMin,
    [property: JsonPropertyName("y_min")] int YMin,
    [property: JsonPropertyName("x_max")] int XMax,
    [property: JsonPropertyName("y_max")] int YMax)
{
    /// <summary>A face of an analyzed image.</summary>
    public static DeepStackFace From(Face face, AnalyzedImage image, float confidence, string? userid)
    {
        var box = CompreFaceBox.From(face, image.Image.Width, image.Image.Height);
        return new(confidence, userid, box.XMin, box.YMin, box.XMax, box.YMax);
    }
}

/// <summary><c>{"success": true, "predictions": [...], "duration": 0}</c>.</summary>
public sealed record DeepStackPredictions(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("predictions")] IReadOnlyList<DeepStackFace> Predictions,
    [property: JsonPropertyName("duration")] int Duration);

/// <summary><c>{"success": true, "message": ...}</c>.</summary>
public sealed record DeepStackMessage(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message);

/// <summary><c>{"success": true, "faces": [...]}</c>.</summary>
public sealed record DeepStackFaces(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("faces")] IReadOnlyList<string> Faces);

/// <summary><c>{"success": true, "similarity": ...}</c>.</summary>
public sealed record DeepStackSimilarity(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("similarity")] float Similarity,
    [property: JsonPropertyName("duration")] int Duration);
