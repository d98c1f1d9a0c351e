using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Visage.Video.Tests.Servers;

/// <summary>
/// A loopback HTTP server for the tests (HttpListener): static files (HLS playlists and segments) and a camera-like
/// snapshot endpoint behind no auth, HTTP basic or HTTP digest (MD5, qop=auth, as cameras do it), whose answer a
/// test can switch to slow or broken.
/// </summary>
public sealed class HttpTestServer : IDisposable
{
    /// <summary>The realm of the protected snapshots.</summary>
    public const string Realm = "visage-test-camera";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly string? _files;
    private readonly byte[] _snapshot;
    private readonly string _nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private int _requests;

    /// <summary>Starts on a free loopback port.</summary>
    /// <param name="snapshot">The JPEG the snapshot endpoints answer.</param>
    /// <param name="files">A folder served under <c>/files/</c> (null: none).</param>
    /// <param name="user">User name the protected endpoints accept.</param>
    /// <param name="password">Password the protected endpoints accept.</param>
    public HttpTestServer(byte[] snapshot, string? files = null, string user = "cam", string password = "s3cret:pa55")
    {
        _snapshot = snapshot;
        _files = files;
        User = user;
        Password = password;
        Port = ServerProcess.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>Accepted user name.</summary>
    public string User { get; }

    /// <summary>Accepted password.</summary>
    public string Password { get; }

    /// <summary>What the snapshot endpoints do now.</summary>
    public SnapshotBehaviour Behaviour { get; set; } = SnapshotBehaviour.Image;

    /// <summary>Requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>
    /// When each fetch of a snapshot began, as the camera saw it (monotonic <see cref="System.Diagnostics.Stopwatch"/>
    /// ticks, in order): the first request of the fetch, which for digest is the one answered with the challenge.
    /// </summary>
    public IReadOnlyList<long> FetchStarts => [.. _arrivals];

    /// <summary>The most authorized snapshot requests that were ever being answered at once.</summary>
    public int MostSnapshotsAtOnce => Volatile.Read(ref _mostAtOnce);

    private readonly System.Collections.Concurrent.ConcurrentQueue<long> _arrivals = new();
    private int _atOnce;
    private int _mostAtOnce;

    /// <summary>An absolute URL on this server.</summary>
    public string Url(string path, string? userInfo = null) => $"http://{(userInfo is null ? "" : userInfo + "@")}127.0.0.1:{Port}{path}";

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url!.AbsolutePath;
            if (path.StartsWith("/files/", StringComparison.Ordinal) && _files is not null)
            {
                await ServeFileAsync(response, Path.Combine(_files, Path.GetFileName(path)));
                return;
            }
            var auth = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            var allowed = auth switch
            {
                "open" => true,
                "basic" => BasicOk(request),
                "digest" => DigestOk(request),
                _ => (bool?)null,
            };
            if (allowed is null)
            {
                response.StatusCode = 404;
                return;
            }
            if (allowed is false || auth == "open" || auth == "basic")
                _arrivals.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp()); // digest's authorized retry is the same fetch
            if (allowed is false)
            {
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", auth == "basic"
                    ? $"Basic realm=\"{Realm}\""
                    : $"Digest realm=\"{Realm}\", qop=\"auth\", algorithm=MD5, nonce=\"{_nonce}\", opaque=\"0000\"");
                return;
            }
            var now = Interlocked.Increment(ref _atOnce);
            InterlockedMax(ref _mostAtOnce, now);
            try
            {
                await AnswerSnapshotAsync(response);
            }
            finally
            {
                Interlocked.Decrement(ref _atOnce);
            }
        }
        catch (HttpListenerException)
        {
            // The client went away (a timed-out request).
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                // Already closed by the client.
            }
        }
    }

    private static async Task ServeFileAsync(HttpListenerResponse response, string file)
    {
        if (!File.Exists(file))
        {
            response.StatusCode = 404;
            return;
        }
        response.ContentType = file.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl" : "video/mp2t";
        var bytes = await File.ReadAllBytesAsync(file);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    private bool BasicOk(HttpListenerRequest request)
    {
        var header = request.Headers["Authorization"];
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal)) return false;
        return Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])) == $"{User}:{Password}";
    }

    // RFC 2617/7616 with MD5 and qop=auth: response = MD5(HA1:nonce:nc:cnonce:qop:HA2).
    private bool DigestOk(HttpListenerRequest request)
    {
        var header = request.Headers["Authorization"];
        if (header is null || !header.StartsWith("Digest ", StringComparison.Ordinal)) return false;
        var f = DigestFields(header[7..]);
        if (f.GetValueOrDefault("username") != User || f.GetValueOrDefault("realm") != Realm || f.GetValueOrDefault("nonce") != _nonce) return false;
        var ha1 = Md5($"{User}:{Realm}:{Password}");
        var ha2 = Md5($"{request.HttpMethod}:{f.GetValueOrDefault("uri")}");
        var expected = Md5($"{ha1}:{_nonce}:{f.GetValueOrDefault("nc")}:{f.GetValueOrDefault("cnonce")}:{f.GetValueOrDefault("qop")}:{ha2}");
        return f.GetValueOrDefault("response") == expected;
    }

    private async Task AnswerSnapshotAsync(HttpListenerResponse response)
    {
        switch (Behaviour)
        {
            case SnapshotBehaviour.Slow:
                await Task.Delay(TimeSpan.FromSeconds(3));
                break;
            case SnapshotBehaviour.NotAnImage:
                response.ContentType = "text/html";
                await response.OutputStream.WriteAsync("<html>camera busy</html>"u8.ToArray());
                return;
            case SnapshotBehaviour.ServerError:
                response.StatusCode = 503;
                return;
        }
        response.ContentType = "image/jpeg";
        response.ContentLength64 = _snapshot.Length;
        await response.OutputStream.WriteAsync(_snapshot);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    private static Dictionary<string, string> DigestFields(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq > 0) fields[part[..eq].Trim()] = part[(eq + 1)..].Trim().Trim('"');
        }
        return fields;
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>What the snapshot endpoints answer.</summary>
public enum SnapshotBehaviour
{
    /// <summary>The JPEG.</summary>
    Image,

    /// <summary>The JPEG, after 3 seconds.</summary>
    Slow,

    /// <summary>An HTML page instead of an image.</summary>
    NotAnImage,

    /// <summary>503 Service Unavailable.</summary>
    ServerError,
}
