using Visage.Cli.Tests.Service;

namespace Visage.Cli.Tests.Nvr;

/// <summary>
/// A service of its own (the compatibility APIs delete whole galleries) on a temp SQLite gallery, with a 4 MB body limit
/// so that an upload over the limit is cheap to send.
/// </summary>
public sealed class NvrServerFixture : IAsyncLifetime
{
    public const long MaxBodyBytes = 4L * 1024 * 1024;

    public VisageServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await VisageServer.StartAsync(o => o with { MaxBodyBytes = MaxBodyBytes });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A multipart body with one file part, named and typed as the clients do it.</summary>
    public static MultipartFormDataContent File(string field, string path, string? fileName = null, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(System.IO.File.ReadAllBytes(path));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        form.Add(file, field, fileName ?? Path.GetFileName(path));
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }

    /// <summary>Sends and reads the JSON answer (any status).</summary>
    /// <param name="expectContinue">Send <c>Expect: 100-continue</c>, as curl does for large bodies (the server may refuse before the body is sent).</param>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpClient client, HttpMethod method, string path, HttpContent? content = null, string? key = null,
        bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.ExpectContinue = expectContinue;
        if (key is not null) request.Headers.Add("x-api-key", key);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
