namespace Visage.Serve;

/// <summary>A request the service answers with a problem of its own status (400, 415, 422, 503, ...).</summary>
public sealed class ProblemException(int status, string detail, TimeSpan? retryAfter = null) : Exception(detail)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Set for 503: when to try again.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static ProblemException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);

    public static ProblemException UnsupportedMediaType(string detail) => new(StatusCodes.Status415UnsupportedMediaType, detail);

    public static ProblemException Unprocessable(string detail) => new(StatusCodes.Status422UnprocessableEntity, detail);

    public static ProblemException Unavailable(string detail, TimeSpan retryAfter) => new(StatusCodes.Status503ServiceUnavailable, detail, retryAfter);
}
