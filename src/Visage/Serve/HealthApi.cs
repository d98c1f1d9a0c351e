using Visage.Serve.Cameras;
using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Serve;

/// <summary><c>/health</c>, <c>/ready</c> and <c>/metrics</c>: for load balancers and monitoring (no key needed).</summary>
public static class HealthApi
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Operations").AllowAnonymous();
        api.MapGet("/health", Health).WithName("Health").WithSummary("Liveness: the process answers");
        api.MapGet("/ready", Ready).WithName("Ready").WithSummary("Readiness: models loaded and database reachable")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/metrics", Metrics).WithName("Metrics").WithSummary("Prometheus metrics (text format 0.0.4)")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
    }

    public static Ok<HealthResponse> Health() => TypedResults.Ok(new HealthResponse("healthy"));

    public static Results<Ok<HealthResponse>, ProblemHttpResult> Ready(ModelWarmup models, GalleryHost galleries, HttpContext http)
    {
        if (!models.IsWarm) return NotReady(http, models.Error ?? "The face models are still loading.");
        try
        {
            var counts = galleries.Read(g => g.Count());
            return TypedResults.Ok(new HealthResponse("ready", galleries.ModelId, counts.Persons, counts.Faces));
        }
        catch (GalleryException e)
        {
            return NotReady(http, $"The gallery database is unavailable: {e.Message}");
        }
    }

    public static ContentHttpResult Metrics(ServiceMetrics metrics, GalleryHost galleries, InferenceGate gate, CameraHost cameras) =>
        TypedResults.Text(metrics.Write(galleries, gate, cameras), "text/plain; version=0.0.4; charset=utf-8");

    private static ProblemHttpResult NotReady(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
