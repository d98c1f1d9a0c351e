using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Serve;

/// <summary><c>/health</c> and <c>/ready</c>: for load balancers and orchestrators (no key needed; <c>/metrics</c> is <see cref="Telemetry.TelemetryRegistration"/>'s).</summary>
public static class HealthApi
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Operations").AllowAnonymous();
        api.MapGet("/health", Health).WithName("Health").WithSummary("Liveness: the process answers");
        api.MapGet("/ready", Ready).WithName("Ready").WithSummary("Readiness: models loaded and database reachable")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
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

    private static ProblemHttpResult NotReady(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
