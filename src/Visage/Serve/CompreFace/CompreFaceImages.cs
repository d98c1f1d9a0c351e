namespace Visage.Serve.CompreFace;

/// <summary>
/// The images of a CompreFace request: a multipart part (<c>file</c>, or <c>source_image</c> and <c>target_image</c>), or
/// the same names in a JSON body as base64 (<c>{"file": "/9j/4AAQ..."}</c>). Unlike CompreFace, a file without an
/// extension or with an unusual one is taken (the bytes decide what it is), and a data URL prefix is accepted.
/// </summary>
public static class CompreFaceImages
{
    /// <summary>The image sent as <paramref name="name"/>.</summary>
    /// <exception cref="CompreFaceError">Missing (code 34) or not base64 (code 21).</exception>
    public static UploadedImage Get(ImageRequest request, string name)
    {
        if (request.Images.FirstOrDefault(i => i.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } file) return file;
        if (request.Fields.TryGetValue(name, out var text)) return new UploadedImage(name, Base64(text));
        throw new CompreFaceError(StatusCodes.Status400BadRequest, CompreFaceError.MissingPart, $"Required part '{name}' is missing");
    }

    private static byte[] Base64(string text)
    {
        var payload = text.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && text.IndexOf(',') is > 0 and var comma ? text[(comma + 1)..] : text;
        try
        {
            return Convert.FromBase64String(payload);
        }
        catch (FormatException)
        {
            throw new CompreFaceError(StatusCodes.Status400BadRequest, CompreFaceError.BadFile, "Provided value is not Base64");
        }
    }
}
