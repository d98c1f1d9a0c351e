namespace Visage.Serve;

/// <summary>OpenAPI words shared by many endpoints.</summary>
internal static class EndpointConventions
{
    /// <summary>An endpoint that takes images: the accepted bodies and the problems bad images and load cause.</summary>
    public static RouteHandlerBuilder TakesImages(this RouteHandlerBuilder route) => route
        .Accepts<ImageJson>(ImageRequest.ContentTypes[0], ImageRequest.ContentTypes[1..])
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>A group behind API keys and the per-key rate limit.</summary>
    public static RouteGroupBuilder Secured(this RouteGroupBuilder group, string policy) => group
        .RequireAuthorization(policy)
        .RequireRateLimiting(RateLimits.PerKey)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);
}

/// <summary>The JSON form of an image upload: a data URL (or bare base64) per image.</summary>
/// <param name="Image">For example <c>data:image/jpeg;base64,/9j/4AAQ...</c>.</param>
public sealed record ImageJson(string Image);
