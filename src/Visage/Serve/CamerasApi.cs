using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Detection;
using Visage.Serve.Cameras;
using Visage.Serve.Keys;
using Visage.Video.Sources;
using Visage.Video.Watching;

namespace Visage.Serve;

/// <summary>
/// <c>/api/v1/cameras</c>: the cameras the service watches (adding and deleting take an admin key; reading, the
/// snapshot, the MJPEG stream and the recent appearances take a recognition key). A camera's URL is never returned
/// with its credentials.
/// </summary>
public static class CamerasApi
{
    /// <summary>Highest processing rate a camera may ask for.</summary>
    public const double MaxFps = 30;

    /// <summary>Most recent appearances listed per camera.</summary>
    public const int RecentAppearances = 50;

    private const string Boundary = "visageframe";

    public static void MapCameras(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/cameras").WithTags("Cameras").Secured(ApiKeyAuthentication.AdminPolicy);
        admin.MapPost("", Create).WithName("CreateCamera").WithSummary("Add a camera and start watching it (its URL is stored with its credentials, never shown)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapDelete("/{id:long}", Delete).WithName("DeleteCamera").WithSummary("Stop watching a camera and delete it")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var read = app.MapGroup("/api/v1/cameras").WithTags("Cameras").Secured(ApiKeyAuthentication.RecognizePolicy);
        read.MapGet("", List).WithName("ListCameras").WithSummary("Every camera with its state and counts");
        read.MapGet("/{id:long}", Get).WithName("GetCamera").WithSummary("A camera").ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/{id:long}/snapshot", Snapshot).WithName("CameraSnapshot").WithSummary("The last processed frame with boxes and names (JPEG)")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        read.MapGet("/{id:long}/stream", Stream).WithName("CameraStream").WithSummary("The annotated frames as they are processed (MJPEG, multipart/x-mixed-replace)")
            .Produces(StatusCodes.Status200OK, contentType: $"multipart/x-mixed-replace; boundary={Boundary}")
            .ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/{id:long}/appearances", Appearances).WithName("CameraAppearances")
            .WithSummary($"The camera's last {RecentAppearances} finished appearances, newest first, with the best face's thumbnail")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static Results<Created<CameraDto>, ValidationProblem, ProblemHttpResult> Create(CameraRequest body, CameraHost cameras)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 100) return Problems.Invalid("name", "name must be 1 to 100 characters");
        if (string.IsNullOrWhiteSpace(body.Url)) return Problems.Invalid("url", "url must not be empty");
        try
        {
            SourceUrl.Parse(body.Url);
        }
        catch (ArgumentException e)
        {
            return Problems.Invalid("url", e.Message); // masked by SourceUrl
        }
        var fps = body.Fps ?? 10;
        if (!(fps > 0 && fps <= MaxFps)) return Problems.Invalid("fps", $"fps must be in (0, {MaxFps}]");
        var detector = body.Detector ?? TinyFaceDetector.DetectorName;
        if (detector is not (TinyFaceDetector.DetectorName or SsdMobileNetV1Detector.DetectorName))
            return Problems.Invalid("detector", $"detector must be '{TinyFaceDetector.DetectorName}' or '{SsdMobileNetV1Detector.DetectorName}'");
        if (body.Webhook is { } webhook)
        {
            try { WebhookSender.Parse(webhook); }
            catch (ArgumentException e) { return Problems.Invalid("webhook", e.Message); }
        }
        var camera = cameras.Add(body.Name.Trim(), body.Url.Trim(), fps, detector, body.Webhook);
        if (camera is null) return Problems.Conflict($"A camera named '{body.Name.Trim()}' exists.");
        return TypedResults.Created($"/api/v1/cameras/{camera.Id}", CameraDto.From(cameras.Runner(camera.Id)!));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, CameraHost cameras) =>
        await cameras.DeleteAsync(id) ? TypedResults.NoContent() : Problems.NotFound($"No camera with id {id}.");

    public static Ok<List<CameraDto>> List(CameraHost cameras) => TypedResults.Ok(cameras.Runners.Select(CameraDto.From).ToList());

    public static Results<Ok<CameraDto>, ProblemHttpResult> Get(long id, CameraHost cameras) =>
        cameras.Runner(id) is { } r ? TypedResults.Ok(CameraDto.From(r)) : Problems.NotFound($"No camera with id {id}.");

    public static Results<FileContentHttpResult, ProblemHttpResult> Snapshot(long id, CameraHost cameras, HttpContext context)
    {
        if (cameras.Runner(id) is not { } runner) return Problems.NotFound($"No camera with id {id}.");
        if (runner.Picture.Jpeg() is not { } picture)
        {
            context.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem($"Camera '{runner.Camera.Name}' has no frame yet ({runner.LastError ?? "starting"}).", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(picture.Jpeg, "image/jpeg");
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Stream(long id, CameraHost cameras, HttpContext context)
    {
        if (cameras.Runner(id) is not { } runner) return Problems.NotFound($"No camera with id {id}.");
        var response = context.Response;
        response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
        response.Headers.CacheControl = "no-store";
        var stop = context.RequestAborted;
        long version = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await runner.Picture.NextAsync(version, stop);
                if (runner.Picture.Jpeg() is not { } picture) continue;
                version = picture.Version;
                await response.WriteAsync($"--{Boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {picture.Jpeg.Length}\r\n\r\n", stop);
                await response.Body.WriteAsync(picture.Jpeg, stop);
                await response.WriteAsync("\r\n", stop);
                await response.Body.FlushAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away.
        }
        return TypedResults.Empty;
    }

    public static Results<Ok<List<AppearanceDto>>, ProblemHttpResult> Appearances(long id, CameraHost cameras, InMemoryAppearanceSink recent)
    {
        if (cameras.Runner(id) is not { } runner) return Problems.NotFound($"No camera with id {id}.");
        return TypedResults.Ok(recent.Snapshot().Where(a => a.Camera == runner.Camera.Name).Reverse().Take(RecentAppearances).Select(AppearanceDto.From).ToList());
    }
}
