using System.Net.Http.Headers;
using System.Text;
using Visage.Tests;

namespace Visage.Fuzz;

/// <summary>One request of the http target: where it goes, its body, and the bytes to save when it breaks a promise.</summary>
internal sealed record FuzzRequest(string Kind, string Path, bool Admin, Func<HttpContent> Body, byte[] Input);

/// <summary>
/// Seeded hostile requests: the mutated images of <see cref="HostileImages"/> sent raw, as multipart files and as JSON
/// data URLs to every endpoint that takes images, and bodies that attack the parsing itself: deeply nested or oversized
/// JSON, base64 garbage, multipart with thousands of parts or a broken structure, and contradictory content types.
/// </summary>
internal sealed class HostileRequests(HostileImages images, int seed, long enrollPersonId)
{
    private readonly Random _rng = new(seed);

    private static readonly string[] ImageEndpoints = ["/api/v1/detect", "/api/v1/embed", "/api/v1/recognize", "/api/v1/verify"];

    private static readonly string[] BodyKinds =
        ["nested-json", "oversized-json", "wide-json", "base64-garbage", "data-url-garbage", "many-parts", "broken-multipart", "content-type-lies", "invalid-utf8-json"];

    public FuzzRequest Next(int index)
    {
        // Three in four requests carry a mutated image; the rest attack the body's parsing.
        if (index % 4 != 3) return ImageRequest(index);
        var kind = BodyKinds[index / 4 % BodyKinds.Length];
        var path = ImageEndpoints[_rng.Next(ImageEndpoints.Length)];
        return kind switch
        {
            "nested-json" => Json(kind, path, Nested(_rng.Next(2, 20_000))),
            "oversized-json" => Json(kind, path, "{\"image\":\"" + new string('A', _rng.Next(1, 3) * 12_000_000) + "\"}"),
            "wide-json" => Json(kind, path, "{" + string.Join(',', Enumerable.Range(0, _rng.Next(1000, 100_000)).Select(i => $"\"k{i}\":{i}")) + "}"),
            "base64-garbage" => Json(kind, path, $"{{\"image\":\"{Garbage64()}\"}}"),
            "data-url-garbage" => Json(kind, path, $"{{\"image\":\"data:{DataUrlHeader()},{Garbage64()}\"}}"),
            "many-parts" => ManyParts(kind, path),
            "broken-multipart" => BrokenMultipart(kind, path),
            "content-type-lies" => ContentTypeLie(kind, path),
            _ => Raw(kind, path, [(byte)'{', (byte)'"', (byte)'i', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, 0xFE, (byte)'"', (byte)'}'], "application/json"),
        };
    }

    private FuzzRequest ImageRequest(int index)
    {
        var (kind, bytes) = images.Next(index);
        var enroll = _rng.Next(6) == 0;
        var path = enroll ? $"/api/v1/persons/{enrollPersonId}/faces" : ImageEndpoints[_rng.Next(ImageEndpoints.Length)];
        var type = _rng.Next(4) switch { 0 => "image/png", 1 => "image/webp", 2 => "application/octet-stream", _ => "image/jpeg" };
        return (index / 3 % 3) switch
        {
            0 => Raw($"{kind} raw", path, bytes, type, enroll),
            1 => new FuzzRequest($"{kind} multipart", path, enroll, () =>
            {
                var form = new MultipartFormDataContent();
                var file = new ByteArrayContent(bytes);
                file.Headers.ContentType = new MediaTypeHeaderValue(type);
                form.Add(file, "image1", "fuzz.jpg");
                if (path.EndsWith("verify", StringComparison.Ordinal)) form.Add(new ByteArrayContent(bytes), "image2", "fuzz2.jpg");
                return form;
            }, bytes),
            _ => Json($"{kind} json", path, $"{{\"image\":\"data:{type};base64,{Convert.ToBase64String(bytes)}\"}}", enroll),
        };
    }

    private static string Nested(int depth)
    {
        var text = new StringBuilder(depth * 8 + 16);
        for (var i = 0; i < depth; i++) text.Append(i % 2 == 0 ? "{\"image\":" : "[");
        text.Append("null");
        for (var i = depth - 1; i >= 0; i--) text.Append(i % 2 == 0 ? '}' : ']');
        return text.ToString();
    }

    private string Garbage64()
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ !\\u0000";
        var text = new char[_rng.Next(0, 200_000)];
        for (var i = 0; i < text.Length; i++) text[i] = Alphabet[_rng.Next(Alphabet.Length)];
        return new string(text).Replace("\\", "", StringComparison.Ordinal);
    }

    private string DataUrlHeader() => _rng.Next(5) switch
    {
        0 => "image/png;base64",
        1 => "text/html;base64",
        2 => "image/jpeg",
        3 => ";;;;base64;;",
        _ => new string('x', _rng.Next(1, 10_000)) + ";base64",
    };

    private FuzzRequest ManyParts(string kind, string path)
    {
        var parts = _rng.Next(500, 20_000);
        var files = _rng.Next(2) == 0;
        return new FuzzRequest(kind, path, false, () =>
        {
            var form = new MultipartFormDataContent();
            for (var i = 0; i < parts; i++)
            {
                if (files) form.Add(new ByteArrayContent([0xFF, 0xD8, (byte)i]), $"image{i}", $"f{i}.jpg");
                else form.Add(new StringContent(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"field{i}");
            }
            return form;
        }, Encoding.ASCII.GetBytes($"{parts} parts, files: {files}"));
    }

    private FuzzRequest BrokenMultipart(string kind, string path)
    {
        var boundary = "fuzz" + _rng.Next();
        var body = _rng.Next(4) switch
        {
            0 => $"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8 truncated", // no closing boundary
            1 => $"--other\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nx\r\n--other--\r\n", // boundary mismatch
            2 => $"--{boundary}\r\n" + string.Concat(Enumerable.Repeat("X-Header: " + new string('h', 1000) + "\r\n", _rng.Next(10, 200))) + $"\r\nbody\r\n--{boundary}--\r\n",
            _ => $"--{boundary}\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--{boundary}--\r\n",
        };
        var bytes = Encoding.Latin1.GetBytes(body);
        return new FuzzRequest(kind, path, false, () =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
            return content;
        }, bytes);
    }

    private FuzzRequest ContentTypeLie(string kind, string path)
    {
        var (_, bytes) = images.Next(_rng.Next(1000));
        var type = _rng.Next(6) switch
        {
            0 => "multipart/form-data", // no boundary
            1 => "image/",
            2 => "application/json; charset=utf-32",
            3 => "text/plain",
            4 => "multipart/form-data; boundary=" + new string('b', 200),
            _ => "application/x-www-form-urlencoded",
        };
        return new FuzzRequest(kind, path, false, () =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.TryAddWithoutValidation("Content-Type", type);
            return content;
        }, bytes);
    }

    private static FuzzRequest Raw(string kind, string path, byte[] bytes, string type, bool admin = false) =>
        new(kind, path, admin, () =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.TryAddWithoutValidation("Content-Type", type);
            return content;
        }, bytes);

    private static FuzzRequest Json(string kind, string path, string json, bool admin = false)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return Raw(kind, path, bytes, "application/json", admin);
    }
}
