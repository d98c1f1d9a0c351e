using Visage.Imaging;
using Visage.Serve.Keys;

namespace Visage.Serve.DeepStack;

/// <summary>An error answered in DeepStack's shape: <c>{"success": false, "error": ..., "duration": 0}</c>.</summary>
public sealed class DeepStackError(int status, string message) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;
}

/// <summary>DeepStack's error body.</summary>
public sealed record DeepStackErrorBody(bool Success, string Error, int Duration);

/// <summary>
/// The key check and error shape of one DeepStack route. DeepStack reads its key from the form field <c>api_key</c>
/// (<c>middlewares.go</c>); Visage takes it there or in the <c>X-Api-Key</c> header, and answers a missing or wrong key
/// with DeepStack's 401 "Incorrect api key". Detection, recognition and match need a recognize (or admin) key;
/// register, list and delete change the gallery and need an admin key. Every error is answered in DeepStack's shape.
/// </summary>
public sealed class DeepStackFilter(KeyScope needed) : IEndpointFilter
{
    /// <summary>DeepStack's form field for the key.</summary>
    public const string KeyField = "api_key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            var request = await ImageRequest.ReadAsync(http);
            http.Items[typeof(ImageRequest)] = request;
            using var actor = Gallery.Storage.AuditActor.Begin(Authorize(http, request).Actor); // register and delete are audited as this key's
            return await next(context);
        }
        catch (Exception e) when (Translate(e) is { } error)
        {
            return Results.Json(new DeepStackErrorBody(false, error.Message, 0), statusCode: error.Status);
        }
    }

    /// <summary>The body the filter read (the handlers' images and form fields).</summary>
    public static ImageRequest Body(HttpContext http) => (ImageRequest)http.Items[typeof(ImageRequest)]!;

    private ApiKey Authorize(HttpContext http, ImageRequest request)
    {
        var presented = request.Fields.TryGetValue(KeyField, out var field) && field.Length > 0 ? field : http.Request.Headers[ApiKeyAuthentication.Header].ToString();
        var key = presented.Length == 0 ? null : http.RequestServices.GetRequiredService<ApiKeyRing>().Find(presented);
        if (key is not { CompreFace: null } || (needed == KeyScope.Admin && key.Scope != KeyScope.Admin))
            throw new DeepStackError(StatusCodes.Status401Unauthorized, "Incorrect api key");
        return key;
    }

    private static DeepStackError? Translate(Exception e) => e switch
    {
        DeepStackError d => d,
        FaceCountException { Found: 0 } => new(StatusCodes.Status400BadRequest, "no face detected"),
        FaceCountException => new(StatusCodes.Status400BadRequest, "more than one face detected: register needs photos of one face"),
        ImageDecodeException { Error: ImageError.TooLarge } d => new(StatusCodes.Status413PayloadTooLarge, d.Message),
        ImageDecodeException => new(StatusCodes.Status400BadRequest, "No valid image file found"),
        _ when ProblemMapping.Map(e) is { } problem => new(problem.Status, problem.Message),
        _ => null,
    };
}
