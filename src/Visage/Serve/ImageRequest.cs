using System.Buffers;
using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
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

    // A body of known length is read straight into its own array (no growing copies: bodies reach 20 MB). Kestrel
    // refuses one over the size limit with a 413 before it is read.
    private static async Task<byte[]> ReadBody(HttpRequest request, CancellationToken cancel)
    {
        if (request.ContentLength is > 0 and < int.MaxValue)
        {
            var bytes = GC.AllocateUninitializedArray<byte>((int)request.ContentLength);
            try
            {
                await request.Body.ReadExactlyAsync(bytes, cancel);
            }
            catch (EndOfStreamException)
            {
                throw ProblemException.BadRequest("The body ended before its Content-Length.");
            }
            return bytes;
        }
        using var buffer = new MemoryStream(64 * 1024);
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
            var bytes = GC.AllocateUninitializedArray<byte>((int)file.Length);
            await using (var stream = file.OpenReadStream()) await stream.ReadExactlyAsync(bytes, cancel);
            images.Add(new UploadedImage(file.Name, bytes));
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
            if (value.ValueKind == JsonValueKind.String && IsImageProperty(property.Name, Utf8(value, out _)))
            {
                // Straight from the body's UTF-8 bytes: a 20 MB base64 string is not copied into UTF-16 twice first.
                var utf8 = Utf8(value, out var escaped);
                images.Add(new UploadedImage(property.Name, DecodeImage(property.Name, escaped ? Encoding.UTF8.GetBytes(value.GetString()!) : utf8)));
            }
            else if (value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                fields[property.Name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            else if (value.ValueKind != JsonValueKind.Null)
                throw ProblemException.BadRequest($"JSON property '{property.Name}' must be a string, number or boolean.");
        }
        return new ImageRequest(images, fields);
    }

    private static bool IsImageProperty(string name, ReadOnlySpan<byte> value) =>
        IsDataUrl(value) || name.StartsWith("image", StringComparison.OrdinalIgnoreCase);

    private static bool IsDataUrl(ReadOnlySpan<byte> value) => value.Length >= 5 && Ascii.EqualsIgnoreCase(value[..5], "data:"u8);

    /// <summary>A JSON string's bytes as the body holds them (no quotes); <paramref name="escaped"/> when they hold escapes.</summary>
    private static ReadOnlySpan<byte> Utf8(JsonElement value, out bool escaped)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        raw = raw[1..^1]; // the quotes
        escaped = raw.Contains((byte)'\\');
        return raw;
    }

    /// <summary>A data URL (<c>data:image/png;base64,...</c>) or bare base64, as UTF-8.</summary>
    private static byte[] DecodeImage(string name, ReadOnlySpan<byte> text)
    {
        var payload = text;
        if (IsDataUrl(text))
        {
            var comma = text.IndexOf((byte)',');
            if (comma < 0) throw ProblemException.BadRequest($"'{name}' is a data URL without a ',' before its data.");
            var header = Encoding.UTF8.GetString(text[5..comma]);
            var parts = header.Split(';');
            if (!parts.Contains("base64", StringComparer.OrdinalIgnoreCase))
                throw ProblemException.BadRequest($"'{name}' is a data URL that is not base64-encoded (';base64' is missing).");
            if (parts[0].Length > 0 && !parts[0].StartsWith("image/", StringComparison.OrdinalIgnoreCase))
                throw ProblemException.UnsupportedMediaType($"'{name}' is a data URL of type '{parts[0]}', not an image.");
            payload = text[(comma + 1)..];
        }
        // As Convert.FromBase64String: white space between the characters is allowed.
        if (!Base64.IsValid(payload, out var length)) throw ProblemException.BadRequest($"'{name}' is not valid base64.");
        var bytes = GC.AllocateUninitializedArray<byte>(length);
        if (Base64.DecodeFromUtf8(payload, bytes, out _, out var written) == OperationStatus.Done && written == length) return bytes;
        try
        {
            return Convert.FromBase64String(Encoding.UTF8.GetString(payload)); // white space the span decoder stops at
        }
        catch (FormatException)
        {
            throw ProblemException.BadRequest($"'{name}' is not valid base64.");
        }
    }

    private static Dictionary<string, string> QueryFields(HttpRequest request) =>
        request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
}
