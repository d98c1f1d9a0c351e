using System.Globalization;
using Visage.Imaging;
using Visage.Serve.Keys;

namespace Visage.Serve.CompreFace;

/// <summary>What a CompreFace route touches, for the key check.</summary>
public enum CompreFaceAccess
{
    /// <summary>Recognize, detect, verify: any key of the service, a Visage recognize key, an admin key.</summary>
    Analyze,

    /// <summary>Read or change the face collection and subjects: a CompreFace recognition key or an admin key.</summary>
    Collection,
}

/// <summary>
/// The key check and the error shape of one CompreFace route: the <c>x-api-key</c> header, checked the way CompreFace
/// does (missing: 400 code 20; not a known key and not a UUID: 400 code 26; a UUID no service of this kind has: 404
/// code 10), accepting the CompreFace key bound to this service and any Visage key whose scope allows the request;
/// then every error of the handler answered as <c>{"message","code"}</c> (<see cref="CompreFaceError"/>), the
/// service's own problems translated with their status kept.
/// </summary>
public sealed class CompreFaceFilter(string service, CompreFaceAccess access) : IEndpointFilter
{
    /// <summary>CompreFace's key header (HTTP header names are case-insensitive: Visage's <c>X-Api-Key</c> is the same header).</summary>
    public const string Header = "x-api-key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            using var actor = Gallery.Storage.AuditActor.Begin(Authorize(http).Actor); // the collection's changes are audited as this key's
            return await next(context);
        }
        catch (Exception e) when (Translate(e) is { } error)
        {
            if (e is ProblemException { RetryAfter: { } wait })
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Results.Json(new CompreFaceErrorBody(error.Message, error.Code), statusCode: error.Status);
        }
    }

    private ApiKey Authorize(HttpContext http)
    {
        var presented = http.Request.Headers[Header].ToString();
        if (presented.Length == 0) throw new CompreFaceError(StatusCodes.Status400BadRequest, CompreFaceError.MissingHeader, $"Missing header: {Header}");
        var key = http.RequestServices.GetRequiredService<ApiKeyRing>().Find(presented);
        var allowed = key switch
        {
            null => false,
            { CompreFace: { } bound } => bound == service,
            { Scope: KeyScope.Admin } => true,
            _ => access == CompreFaceAccess.Analyze,
        };
        if (allowed) return key!;
        if (key is { CompreFace: null })
            throw new CompreFaceError(StatusCodes.Status403Forbidden, CompreFaceError.Generic,
                "This API key may recognize, detect and verify only: the face collection needs a CompreFace recognition key or an admin key");
        if (key is null && (presented.Length < 36 || !Guid.TryParse(presented, out _)))
            throw CompreFaceError.Invalid("Service API key should be UUID");
        // CompreFace echoes the key here; only its start is shown, so a client's log never holds a whole key.
        throw new CompreFaceError(StatusCodes.Status404NotFound, CompreFaceError.ServiceNotFound,
            $"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(service)} service with API Key {presented[..Math.Min(8, presented.Length)]}… not found");
    }

    /// <summary>The CompreFace error for what a request ended in, or null for a bug (left to the service's 500).</summary>
    public static CompreFaceError? Translate(Exception e) => e switch
    {
        CompreFaceError c => c,
        FaceCountException { Found: 0 } => CompreFaceError.NoFaceFound(),
        FaceCountException => CompreFaceError.MoreThanOneFace(),
        // CompreFace's core fails on bytes it cannot read, and every 400 from the core is code 28: clients count it as no face.
        ImageDecodeException { Error: not ImageError.TooLarge } d => CompreFaceError.NoFaceFound(d.Message),
        _ when ProblemMapping.Map(e) is { } problem => new CompreFaceError(problem.Status, CompreFaceError.Generic, problem.Message),
        _ => null,
    };
}

/// <summary>CompreFace's error body.</summary>
public sealed record CompreFaceErrorBody(string Message, int Code);
