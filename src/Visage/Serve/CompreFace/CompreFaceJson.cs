using System.Text.Json.Serialization;
using Visage.Faces;
using Visage.Matching;

namespace Visage.Serve.CompreFace;

// CompreFace's response shapes (FacesRecognitionResponseDto and its relatives): snake_case names, null fields left out.

/// <summary>A face's box in the image's pixels, integer corners, and the detector's score (5 decimals).</summary>
public sealed record CompreFaceBox(
    [property: JsonPropertyName("probability")] double Probability,
    [property: JsonPropertyName("x_max")] int XMax,
    [property: JsonPropertyName("y_max")] int YMax,
    [property: JsonPropertyName("x_min")] int XMin,
    [property: JsonPropertyName("y_min")] int YMin)
{
    /// <summary>The box of a face, its corners rounded and kept inside the image.</summary>
    public static CompreFaceBox From(Face face, int width, int height)
    {
        var b = face.Box;
        static int Clamp(double v, int max) => (int)Math.Clamp(Math.Round(v, MidpointRounding.AwayFromZero), 0, max);
        return new(CompreFaceNumbers.Round5(face.Score), Clamp(b.X + b.Width, width), Clamp(b.Y + b.Height, height), Clamp(b.X, width), Clamp(b.Y, height));
    }
}

/// <summary>A subject a face may be, with its similarity (0.5 at the decision threshold).</summary>
public sealed record CompreFaceSubject(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("similarity")] double Similarity);

/// <summary>Milliseconds per step (with <c>status=true</c>).</summary>
public sealed record CompreFaceTimes(
    [property: JsonPropertyName("detector")] double Detector,
    [property: JsonPropertyName("calculator")] double Calculator);

/// <summary>One face of a recognize, detect or verify answer.</summary>
public sealed record CompreFaceFace(
    [property: JsonPropertyName("box")] CompreFaceBox Box,
    [property: JsonPropertyName("subjects"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CompreFaceSubject>? Subjects = null,
    [property: JsonPropertyName("subject"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject = null,
    [property: JsonPropertyName("similarity"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Similarity = null,
    [property: JsonPropertyName("landmarks"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[][]? Landmarks = null,
    [property: JsonPropertyName("embedding"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Embedding = null,
    [property: JsonPropertyName("execution_time"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CompreFaceTimes? ExecutionTime = null);

/// <summary><c>{"result": [...], "plugins_versions": {...}}</c>.</summary>
public sealed record CompreFaceResult<T>(
    [property: JsonPropertyName("result")] IReadOnlyList<T> Result,
    [property: JsonPropertyName("plugins_versions"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, string>? PluginsVersions = null);

/// <summary>One result of <c>/verification/verify</c>: the source's face and the target's faces with their similarity.</summary>
public sealed record CompreFaceVerification(
    [property: JsonPropertyName("source_image_face")] CompreFaceFace SourceImageFace,
    [property: JsonPropertyName("face_matches")] IReadOnlyList<CompreFaceFace> FaceMatches);

/// <summary>A stored face: its id and subject.</summary>
public sealed record CompreFaceImage(
    [property: JsonPropertyName("image_id")] string ImageId,
    [property: JsonPropertyName("subject")] string Subject);

/// <summary>One page of stored faces.</summary>
public sealed record CompreFaceFacesPage(
    [property: JsonPropertyName("faces")] IReadOnlyList<CompreFaceImage> Faces,
    [property: JsonPropertyName("page_number")] int PageNumber,
    [property: JsonPropertyName("page_size")] int PageSize,
    [property: JsonPropertyName("total_pages")] int TotalPages,
    [property: JsonPropertyName("total_elements")] int TotalElements);

/// <summary>Number rules and ids shared by the CompreFace shapes.</summary>
public static class CompreFaceNumbers
{
    /// <summary>CompreFace rounds scores and similarities to 5 decimals, half up.</summary>
    public static double Round5(double v) => Math.Round(v, 5, MidpointRounding.AwayFromZero);

    /// <summary>A similarity on CompreFace's scale from what a decision answered: its distance against its own threshold.</summary>
    public static double Similarity(float distance, float threshold) => Round5(SimilarityScale.Of(distance, threshold));

    /// <summary>
    /// A Visage face id as a CompreFace image id: a UUID (CompreFace's ids are UUIDs and some clients parse them)
    /// whose last group is the face id in hex.
    /// </summary>
    public static string ImageId(long faceId) => $"00000000-0000-4000-8000-{faceId:x12}";

    /// <summary>The face id of an image id (or of a plain number), or null.</summary>
    public static long? FaceId(string imageId)
    {
        if (long.TryParse(imageId, out var plain)) return plain;
        return Guid.TryParse(imageId, out _) && imageId.StartsWith("00000000-0000-4000-8000-", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(imageId[24..], System.Globalization.NumberStyles.HexNumber, null, out var id) ? id : null;
    }

    /// <summary>The 5 points CompreFace's <c>landmarks</c> plugin gives (eyes, nose tip, mouth corners), from the 68.</summary>
    public static int[][] FivePoints(FaceLandmarks landmarks)
    {
        var p = landmarks.Points;
        int[] Mean(int from, int to)
        {
            double x = 0, y = 0;
            for (var i = from; i <= to; i++) { x += p[i].X; y += p[i].Y; }
            return [(int)Math.Round(x / (to - from + 1)), (int)Math.Round(y / (to - from + 1))];
        }
        int[] At(int i) => [(int)Math.Round(p[i].X), (int)Math.Round(p[i].Y)];
        return [Mean(36, 41), Mean(42, 47), At(30), At(48), At(54)];
    }
}
