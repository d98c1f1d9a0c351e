using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;

namespace Visage.Serve;

/// <summary>One image sent with a request, as it arrived.</summary>
/// <param name="Name">The form field or JSON property it came in (<c>image</c> for a raw body).</param>
/// <param name="Bytes">The encoded image.</param>
public sealed record UploadedImage(string Name, byte[] Bytes);

/// <summary>
/// The images (and plain fields) of a request, in any of the three forms a client may send: <c>multipart/form-data</c>
/// (files, plus fields), a raw <c>image/*</c> (or <c>application/octet-stream</c>) body, or JSON whose string
/// properties hold data URLs (<c>{"image":"data:image/jpeg;base64,..."}</c>, what a browser's AJAX post sends) or plain
/// base64, plus fields. Malformed bodies are 400, other content types 415; the body size limit is Kestrel's (413).
/// </summary>
public sealed class ImageRequest
{
    private ImageRequest(IReadOnlyList<UploadedImage> images, IReadOnlyDictionary<string, string> fields)
    {
        Images = images;
        Fields = fields;
    }

    /// <summary>The images, in the order they were sent.</summary>
    public IReadOnlyList<UploadedImage> Images { get; }

    /// <summary>Fields that are not images (form fields, JSON scalars).</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>The content types the API accepts, for the OpenAPI document.</summary>
    public static readonly string[] ContentTypes = ["image/*", "multipart/form-data", "application/json", "application/octet-stream"];

    /// <summary>The only image.</summary>
    /// <exception cref="ProblemException">400: none or several.</exception>
    public UploadedImage Single() => Images.Count switch
    {
        1 => Images[0],
        0 => throw ProblemException.BadRequest("The request holds no image: send a raw image/* body, a multipart file, or JSON {\"image\": \"data:image/jpeg;base64,...\"}."),
        _ => throw ProblemException.BadRequest($"The request holds {Images.Count} images where one is expected."),
    };

    /// <summary>Minimal API binding: reads the body.</summary>
    public static async ValueTask<ImageRequest?> BindAsync(HttpContext context, ParameterInfo parameter) => await ReadAsync(context);

    /// <summary>Reads the body (for handlers that read it themselves, inside their own error handling).</summary>
    /// <exception cref="ProblemException">400 for a malformed body, 415 for another content type.</exception>
    public static async Task<ImageRequest> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.MediaType is null)
        {
            if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
                return new ImageRequest([], QueryFields(request));
            throw ProblemException.UnsupportedMediaType("The request has no usable Content-Type: send image/*, multipart/form-data or application/json.");
        }
        var media = type.MediaType.ToLowerInvariant();
        if (media.StartsWith("image/", StringComparison.Ordinal) || media == "application/octet-stream")
        {
            var bytes = await ReadBody(request, context.RequestAborted);
            return new ImageRequest(bytes.Length == 0 ? [] : [new UploadedImage("image", bytes)], QueryFields(request));
        }
        if (media == "multipart/form-data") return await ReadForm(request, context.RequestAborted);
        if (media == "application/json" || media.EndsWith("+json", StringComparison.Ordinal))
            return ReadJson(await ReadBody(request, context.RequestAborted), QueryFields(request));
        throw ProblemException.UnsupportedMediaType($"Content-Type '{media}' is not accepted: send image/*, multipart/form-data or application/json.");
    }

    private static async Task<byte[]> ReadBody(HttpRequest request, CancellationToken cancel)
    {
        using var buffer = new MemoryStream(request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength : 64 * 1024);
        await request.Body.CopyToAsync(buffer, cancel); // Kestrel stops at the body size limit with a 413
        return buffer.ToArray();
    }

    private static async Task<ImageRequest> ReadForm(HttpRequest request, CancellationToken cancel)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancel);
        }
        catch (InvalidDataException e)
        {
            throw ProblemException.BadRequest($"The multipart body is malformed: {e.Message}");
        }
        catch (IOException e) when (e is not BadHttpRequestException) // a section cut short (found by the http fuzz target); 413 stays 413
        {
            throw ProblemException.BadRequest($"The multipart body is malformed: {e.Message}");
        }
        var images = new List<UploadedImage>();
        foreach (var file in form.Files)
        {
            using var stream = new MemoryStream((int)file.Length);
            await file.CopyToAsync(stream, cancel);
            images.Add(new UploadedImage(file.Name, stream.ToArray()));
        }
        var fields = QueryFields(request);
        foreach (var (key, value) in form) fields[key] = value.ToString();
        return new ImageRequest(images, fields);
    }

    private static ImageRequest ReadJson(byte[] body, Dictionary<string, string> fields)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw ProblemException.BadRequest($"The JSON body is malformed: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw ProblemException.BadRequest("The JSON body must be an object such as {\"image\": \"data:image/jpeg;base64,...\"}.");
            try
            {
                return ReadProperties(document.RootElement, fields);
            }
            catch (InvalidOperationException e) // a string that is not valid UTF-8 (found by the http fuzz target)
            {
                throw ProblemException.BadRequest($"The JSON body is malformed: {e.Message}");
            }
        }
    }

    private static ImageRequest ReadProperties(JsonElement root, Dictionary<string, string> fields)
    {
        var images = new List<UploadedImage>();
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.String && IsImageProperty(property.Name, value.GetString()!))
                images.Add(new UploadedImage(property.Name, DecodeImageString(property.Name, value.GetString()!)));
            else if (value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                fields[property.Name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            else if (value.ValueKind != JsonValueKind.Null)
                throw ProblemException.BadRequest($"JSON property '{property.Name}' must be a string, number or boolean.");
        }
        return new ImageRequest(images, fields);
    }

    private static bool IsImageProperty(string name, string value) =>
        value.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || name.StartsWith("image", StringComparison.OrdinalIgnoreCase);

    /// <summary>A data URL (<c>data:image/png;base64,...</c>) or bare base64.</summary>
    private static byte[] DecodeImageString(string name, string text)
    {
        var payload = text;
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = text.IndexOf(',');
            if (comma < 0) throw ProblemException.BadRequest($"'{name}' is a data URL without a ',' before its data.");
            var header = text[5..comma];
            var parts = header.Split(';');
            if (!parts.Contains("base64", StringComparer.OrdinalIgnoreCase))
                throw ProblemException.BadRequest($"'{name}' is a data URL that is not base64-encoded (';base64' is missing).");
            if (parts[0].Length > 0 && !parts[0].StartsWith("image/", StringComparison.OrdinalIgnoreCase))
                throw ProblemException.UnsupportedMediaType($"'{name}' is a data URL of type '{parts[0]}', not an image.");
            payload = text[(comma + 1)..];
        }
        try
        {
            return Convert.FromBase64String(payload);
        }
        catch (FormatException)
        {
            throw ProblemException.BadRequest($"'{name}' is not valid base64.");
        }
    }

    private static Dictionary<string, string> QueryFields(HttpRequest request) =>
        request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
}
