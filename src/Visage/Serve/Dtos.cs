using System.Text.Json.Serialization;
using Visage.Contracts;
using Visage.Recognition;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Serve;

// The API's JSON shapes (camelCase on the wire), kept apart from the core's records.

/// <summary>The faces of an image (from /detect and /embed).</summary>
public sealed record FacesResponse(int Width, int Height, string? ModelId, IReadOnlyList<FaceJson> Faces, Dictionary<string, double> Timings);

/// <summary>
/// Every face of an image with who it is: <c>targetFalseAcceptRate</c> is the operating point of the open-set rule (each
/// face says the bar it set in <c>threshold</c>), <c>threshold</c> the raw one of an expert mode (or one set by the
/// caller); <c>frames</c> counts the images of a burst.
/// </summary>
public sealed record RecognizeResponse(
    int Width, int Height, string Mode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? Threshold,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TargetFalseAcceptRate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Frames,
    IReadOnlyList<RecognizedFaceJson> Faces, Dictionary<string, double> Timings);

/// <summary>The answer of /verify: same person when <c>distance</c> is below <c>threshold</c>.</summary>
public sealed record VerifyResponse(float Distance, float Threshold, bool Same, long? PersonId, string? Name)
{
    /// <summary>The core verb's answer on the wire.</summary>
    public static VerifyResponse From(Verification v) => new(v.Distance, v.Threshold, v.Same, v.PersonId, v.Name);
}

/// <summary>A person.</summary>
public sealed record PersonDto(long Id, string Name, DateTime Created, int FaceCount)
{
    public static PersonDto From(Person p) => new(p.Id, p.Name, p.CreatedUtc, p.FaceCount);
}

/// <summary>A person with the enrolled faces that lie far from their other faces (<c>suspectFaces</c>: probable mislabels).</summary>
public sealed record PersonDetailDto(long Id, string Name, DateTime Created, int FaceCount, IReadOnlyList<SuspectFaceDto> SuspectFaces)
{
    public static PersonDetailDto From(Person p, IReadOnlyList<SuspectFaceDto> suspects) => new(p.Id, p.Name, p.CreatedUtc, p.FaceCount, suspects);
}

/// <summary>A probable mislabel: the face, its distance to the mean of the person's other faces, the probability that it is theirs, and why.</summary>
public sealed record SuspectFaceDto(long FaceId, float Distance, double Confidence, string Reason)
{
    public static SuspectFaceDto From(Enrollment.SuspectFace s) => new(s.FaceId, MathF.Round(s.Distance, 4), Math.Round(s.Confidence, 4), s.Reason);
}

/// <summary>One page of persons, in creation order.</summary>
public sealed record PersonsPage(IReadOnlyList<PersonDto> Items, int Offset, int Limit, long Total);

/// <summary>The body of POST /persons and PATCH /persons/{id}.</summary>
public sealed record PersonRequest(string? Name);

/// <summary>An enrolled face; <c>quality</c> is its quality score (0..1) for enrollment, null for a face enrolled without one.</summary>
public sealed record EnrolledFaceDto(long Id, long PersonId, BoxJson Box, string ImageSha256, string ModelId, DateTime Created, string Thumbnail, float? Quality)
{
    public static EnrolledFaceDto From(StoredFace f) => new(f.Id, f.PersonId, BoxJson.From(f.Box), f.ImageSha256, f.Embedding.ModelId,
        f.CreatedUtc, $"/api/v1/faces/{f.Id}/thumbnail", f.Quality);
}

/// <summary>An API key as listed (never the key itself); <c>compreface</c> names the CompreFace service a CompreFace key is bound to.</summary>
public sealed record ApiKeyDto(long Id, string Name, string Scope, string Prefix, DateTime Created,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CompreFace = null)
{
    public static ApiKeyDto From(Keys.ApiKey k, string? key = null) =>
        new(k.Id, k.Name, Keys.ApiKeySecret.Name(k.Scope), k.Prefix, k.CreatedUtc, key, k.CompreFace);
}

/// <summary>The body of POST /keys: a Visage key of a scope, or a CompreFace key (a UUID) bound to one CompreFace service.</summary>
public sealed record KeyRequest(string? Name, string? Scope, string? CompreFace = null);

/// <summary>What /health and /ready answer when all is well.</summary>
public sealed record HealthResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ModelId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Persons = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Faces = null);
