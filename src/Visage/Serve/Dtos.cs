using System.Text.Json.Serialization;
using Visage.Faces;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Serve;

// The API's JSON shapes (camelCase on the wire), kept apart from the core's records.

/// <summary>A box in image pixels: x to the right, y down, from the top-left corner.</summary>
public sealed record BoxDto(double X, double Y, double Width, double Height)
{
    public static BoxDto From(BoundingBox b) => new(Math.Round(b.X, 2), Math.Round(b.Y, 2), Math.Round(b.Width, 2), Math.Round(b.Height, 2));
}

/// <summary>A face found in an image: box, detector score and 68 landmarks ([x, y] pairs); the embedding on /embed.</summary>
public sealed record FaceDto(BoxDto Box, float Score, double[][]? Landmarks, float[]? Embedding = null)
{
    public static FaceDto From(Face f, bool withEmbedding) => new(BoxDto.From(f.Box), MathF.Round(f.Score, 4),
        f.Landmarks?.Points.Select(p => new[] { Math.Round(p.X, 2), Math.Round(p.Y, 2) }).ToArray(),
        withEmbedding ? f.Embedding?.Vector : null);
}

/// <summary>The faces of an image (from /detect and /embed).</summary>
public sealed record FacesResponse(int Width, int Height, string? ModelId, IReadOnlyList<FaceDto> Faces, Dictionary<string, double> Timings);

/// <summary>One face of /recognize: its person, or <c>personId</c> and <c>name</c> null when it is unknown.</summary>
/// <param name="Box">Where the face is.</param>
/// <param name="Score">Detector confidence.</param>
/// <param name="PersonId">The person, or null for unknown.</param>
/// <param name="Name">The person's name, or null for unknown.</param>
/// <param name="Distance">Distance to the best candidate (also when rejected); null when the gallery is empty.</param>
/// <param name="FaceId">The enrolled face behind the distance (nearest and knn modes).</param>
/// <param name="Votes">In knn mode, the winner's votes.</param>
public sealed record RecognizedFaceDto(BoxDto Box, float Score, long? PersonId, string? Name, float? Distance, long? FaceId, int? Votes);

/// <summary>Every face of an image with who it is.</summary>
public sealed record RecognizeResponse(int Width, int Height, string Mode, float Threshold, IReadOnlyList<RecognizedFaceDto> Faces, Dictionary<string, double> Timings);

/// <summary>The answer of /verify: same person when <c>distance</c> is below <c>threshold</c>.</summary>
public sealed record VerifyResponse(float Distance, float Threshold, bool Same, long? PersonId, string? Name);

/// <summary>A person.</summary>
public sealed record PersonDto(long Id, string Name, DateTime Created, int FaceCount)
{
    public static PersonDto From(Person p) => new(p.Id, p.Name, p.CreatedUtc, p.FaceCount);
}

/// <summary>One page of persons, in creation order.</summary>
public sealed record PersonsPage(IReadOnlyList<PersonDto> Items, int Offset, int Limit, long Total);

/// <summary>The body of POST /persons and PATCH /persons/{id}.</summary>
public sealed record PersonRequest(string? Name);

/// <summary>An enrolled face.</summary>
public sealed record EnrolledFaceDto(long Id, long PersonId, BoxDto Box, string ImageSha256, string ModelId, DateTime Created, string Thumbnail)
{
    public static EnrolledFaceDto From(StoredFace f) => new(f.Id, f.PersonId, BoxDto.From(f.Box), f.ImageSha256, f.Embedding.ModelId,
        f.CreatedUtc, $"/api/v1/faces/{f.Id}/thumbnail");
}

/// <summary>An API key as listed (never the key itself).</summary>
public sealed record ApiKeyDto(long Id, string Name, string Scope, string Prefix, DateTime Created,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key = null)
{
    public static ApiKeyDto From(Keys.ApiKey k, string? key = null) => new(k.Id, k.Name, Keys.ApiKeySecret.Name(k.Scope), k.Prefix, k.CreatedUtc, key);
}

/// <summary>The body of POST /keys.</summary>
public sealed record KeyRequest(string? Name, string? Scope);

/// <summary>What /health and /ready answer when all is well.</summary>
public sealed record HealthResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ModelId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Persons = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Faces = null);
