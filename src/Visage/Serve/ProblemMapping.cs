using Microsoft.AspNetCore.Diagnostics;
using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Models;

namespace Visage.Serve;

/// <summary>
/// Turns the exceptions a request can end in into RFC 7807 problems with a precise status: bad input is 4xx,
/// an unreachable database or a full queue is 503 with <c>Retry-After</c>. Anything else is a bug and stays a 500.
/// </summary>
public sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> log) : IExceptionHandler
{
    /// <summary>How long a client should wait after a 503 for the database.</summary>
    public static readonly TimeSpan DatabaseRetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (Map(exception) is not { } problem) return false;
        if (problem.Status >= 500) log.LogWarning("{Method} {Path}: {Status} {Detail}", context.Request.Method, context.Request.Path, problem.Status, problem.Message);
        context.Response.StatusCode = problem.Status;
        if (problem.RetryAfter is { } wait)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = problem.Status, Detail = problem.Message },
        });
    }

    /// <summary>The problem for an exception, or null for an unexpected one.</summary>
    public static ProblemException? Map(Exception e) => e switch
    {
        ProblemException p => p,
        FaceCountException f => ProblemException.Unprocessable(f.Message),
        Enrollment.FaceQualityException q => ProblemException.Unprocessable(q.Message),
        ImageDecodeException i => new ProblemException(i.Error switch
        {
            ImageError.NotAnImage => StatusCodes.Status415UnsupportedMediaType,
            ImageError.TooLarge => StatusCodes.Status413PayloadTooLarge,
            _ => StatusCodes.Status400BadRequest, // empty, truncated or damaged image data
        }, i.Message),
        BadHttpRequestException b => new ProblemException(b.StatusCode, b.Message), // Kestrel: body too large, malformed request
        PersonNotFoundException p => new ProblemException(StatusCodes.Status404NotFound, p.Message),
        DuplicatePersonException d => new ProblemException(StatusCodes.Status409Conflict, d.Message),
        GalleryUnavailableException g => ProblemException.Unavailable($"The gallery database is unavailable: {g.Message}", DatabaseRetryAfter),
        GalleryCorruptException g => new ProblemException(StatusCodes.Status500InternalServerError, g.Message),
        ModelUnavailableException m => ProblemException.Unavailable($"The face models are unavailable: {m.Message}", TimeSpan.FromSeconds(30)),
        OperationCanceledException => new ProblemException(499, "The client closed the request."),
        _ => null,
    };
}
