namespace Visage.Serve.CompreFace;

/// <summary>
/// An error answered in CompreFace's shape, <c>{"message": ..., "code": ...}</c>, with the codes its clients read
/// (<c>ExceptionResponseDto</c> and <c>CommonExceptionCode</c> in CompreFace's Java API).
/// </summary>
public sealed class CompreFaceError(int status, int code, string message) : Exception(message)
{
    /// <summary>Anything else.</summary>
    public const int Generic = 0;

    /// <summary>A well-formed key that no service has.</summary>
    public const int ServiceNotFound = 10;

    /// <summary>No <c>x-api-key</c> header.</summary>
    public const int MissingHeader = 20;

    /// <summary>A value that is not base64, or a file CompreFace would not take.</summary>
    public const int BadFile = 21;

    /// <summary>A key that is not a UUID, or a parameter out of range.</summary>
    public const int Validation = 26;

    /// <summary>No face in the image: Double Take and Viseron read it as "no faces", not as a failure.</summary>
    public const int NoFace = 28;

    /// <summary>More than one face where one is needed (adding a face, a verification's source).</summary>
    public const int SeveralFaces = 31;

    /// <summary>A required query parameter is missing.</summary>
    public const int MissingParameter = 33;

    /// <summary>A required part of the multipart body is missing.</summary>
    public const int MissingPart = 34;

    /// <summary>No subject of that name.</summary>
    public const int SubjectNotFound = 42;

    /// <summary>The subject exists already.</summary>
    public const int SubjectExists = 43;

    /// <summary>No face (image) of that id.</summary>
    public const int ImageNotFound = 44;

    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>CompreFace's error code.</summary>
    public int Code { get; } = code;

    /// <summary>400 with code 28, CompreFace's exact message.</summary>
    public static CompreFaceError NoFaceFound(string? detail = null) =>
        new(StatusCodes.Status400BadRequest, NoFace, "No face is found in the given image" + (detail is null ? "" : $" ({detail})"));

    /// <summary>400 with code 31, CompreFace's exact message.</summary>
    public static CompreFaceError MoreThanOneFace() => new(StatusCodes.Status400BadRequest, SeveralFaces, "More than one face in the source image");

    /// <summary>400 with code 26.</summary>
    public static CompreFaceError Invalid(string message) => new(StatusCodes.Status400BadRequest, Validation, message);

    /// <summary>404 with code 42.</summary>
    public static CompreFaceError NoSubject(string subject) => new(StatusCodes.Status404NotFound, SubjectNotFound, $"Subject {subject} not found");

    /// <summary>404 with code 44.</summary>
    public static CompreFaceError NoImage(string imageId) => new(StatusCodes.Status404NotFound, ImageNotFound, $"Image {imageId} not found");
}
