using System.Net;
using System.Text.RegularExpressions;

namespace Visage.Video.Sources;

/// <summary>
/// A parsed source string: its <see cref="SourceKind"/>, the credentials it carries, and a masked form for logs.
/// Credentials never leave this type in clear text except through <see cref="Credentials"/> and
/// <see cref="WithCredentialsInline"/>, which only the readers use; <see cref="ToString"/> is always masked.
/// </summary>
public sealed partial class SourceUrl
{
    private const string Mask = "***";

    // Query keys whose values are secrets in cameras' URLs (e.g. ?user=admin&password=...).
    private static readonly string[] SecretQueryKeys = ["password", "passwd", "pwd", "pass", "token", "auth", "key", "apikey", "api_key", "secret"];

    private SourceUrl(string raw, SourceKind kind, NetworkCredential? credentials, string withoutCredentials)
    {
        Raw = raw;
        Kind = kind;
        Credentials = credentials;
        WithoutCredentials = withoutCredentials;
        Masked = MaskText(raw, credentials);
    }

    /// <summary>What kind of source this is.</summary>
    public SourceKind Kind { get; }

    /// <summary>True for everything but files: frames arrive in real time, so a slow consumer drops frames.</summary>
    public bool IsLive => Kind != SourceKind.File;

    /// <summary>User name and password from the URL's user info or given separately; null when there are none.</summary>
    public NetworkCredential? Credentials { get; }

    /// <summary>The source with the user info removed (query secrets are kept: the camera needs them).</summary>
    public string WithoutCredentials { get; }

    /// <summary>The source with every credential replaced by <c>***</c>: the only form fit for logs and messages.</summary>
    public string Masked { get; }

    private string Raw { get; }

    /// <summary>
    /// The source with the credentials inside it (<c>rtsp://user:pass@host/...</c>), as ffmpeg needs them.
    /// Never log it.
    /// </summary>
    public string WithCredentialsInline()
    {
        if (Credentials is null || Kind is SourceKind.File or SourceKind.Device) return Raw;
        var builder = new UriBuilder(WithoutCredentials)
        {
            UserName = Uri.EscapeDataString(Credentials.UserName),
            Password = Uri.EscapeDataString(Credentials.Password),
        };
        return builder.Uri.AbsoluteUri;
    }

    /// <summary>The masked form; credentials are never printed.</summary>
    public override string ToString() => Masked;

    /// <summary>
    /// Parses a source string. URLs are classified by scheme and path: <c>rtsp</c>/<c>rtsps</c> are RTSP, a path ending
    /// in <c>.m3u8</c> is HLS, a path ending in an image extension or naming a snapshot (<c>snapshot</c>, <c>snap</c>,
    /// <c>latest.jpg</c>) is a snapshot URL, any other <c>http</c>/<c>https</c> is a stream ffmpeg reads (MJPEG);
    /// <c>/dev/video*</c> is a capture device, <c>file://</c> and everything else is a file path.
    /// </summary>
    /// <param name="source">File path, device path or URL.</param>
    /// <param name="credentials">Credentials given apart from the URL; they win over the URL's user info.</param>
    /// <param name="kind">Forces the kind when the heuristic cannot know (e.g. a snapshot URL with no telling name).</param>
    /// <exception cref="ArgumentException">Empty, or a URL with a scheme no reader handles.</exception>
    public static SourceUrl Parse(string source, NetworkCredential? credentials = null, SourceKind? kind = null)
    {
        if (string.IsNullOrWhiteSpace(source)) throw new ArgumentException("the video source is empty");
        source = source.Trim();
        if (source.StartsWith("/dev/", StringComparison.Ordinal))
            return new SourceUrl(source, kind ?? SourceKind.Device, null, source);
        if (!UrlScheme().IsMatch(source))
            return new SourceUrl(source, kind ?? SourceKind.File, null, source);
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri))
            throw new ArgumentException($"'{MaskText(source, credentials)}' is not a valid URL");
        if (uri.IsFile) return new SourceUrl(uri.LocalPath, kind ?? SourceKind.File, null, uri.LocalPath);

        var fromUrl = UserInfoCredentials(uri);
        var creds = credentials ?? fromUrl;
        var stripped = fromUrl is null ? source : new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
        var detected = uri.Scheme.ToLowerInvariant() switch
        {
            "rtsp" or "rtsps" => SourceKind.Rtsp,
            "http" or "https" => HttpKind(uri.AbsolutePath),
            _ => throw new ArgumentException(
                $"'{MaskText(source, creds)}': unsupported scheme '{uri.Scheme}' (expected a file, /dev/video*, rtsp://, http:// or https://)"),
        };
        // The masked form is built from the raw string so the secret of a separately given credential is masked too.
        return new SourceUrl(source, kind ?? detected, creds, stripped);
    }

    /// <summary>
    /// Masks every credential in free text (an ffmpeg error line, an exception message): the user info of every URL
    /// (<c>rtsp://user:***@host</c>), secret query values (<c>password=***</c>), and the literal password when known.
    /// </summary>
    public static string MaskText(string text, NetworkCredential? credentials = null)
    {
        if (string.IsNullOrEmpty(text)) return text;
        var masked = UserInfo().Replace(text, m => m.Groups["user"].Value.Length == 0 && m.Groups["pass"].Success is false
            ? m.Value
            : $"{m.Groups["scheme"].Value}{m.Groups["user"].Value}:{Mask}@");
        masked = QuerySecret().Replace(masked, m => IsSecretKey(m.Groups["key"].Value) ? $"{m.Groups["key"].Value}={Mask}" : m.Value);
        if (credentials is { Password.Length: > 0 })
        {
            masked = masked.Replace(credentials.Password, Mask, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(credentials.Password);
            if (escaped != credentials.Password) masked = masked.Replace(escaped, Mask, StringComparison.Ordinal);
        }
        return masked;
    }

    private static bool IsSecretKey(string key) =>
        Array.Exists(SecretQueryKeys, k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

    private static SourceKind HttpKind(string path)
    {
        var lower = path.ToLowerInvariant();
        if (lower.EndsWith(".m3u8", StringComparison.Ordinal)) return SourceKind.Hls;
        var name = lower[(lower.LastIndexOf('/') + 1)..];
        if (name.EndsWith(".jpg", StringComparison.Ordinal) || name.EndsWith(".jpeg", StringComparison.Ordinal)
            || name.EndsWith(".png", StringComparison.Ordinal) || name.Contains("snapshot", StringComparison.Ordinal)
            || name.StartsWith("snap", StringComparison.Ordinal))
            return SourceKind.Snapshot;
        return SourceKind.HttpMjpeg;
    }

    private static NetworkCredential? UserInfoCredentials(Uri uri)
    {
        if (uri.UserInfo.Length == 0) return null;
        var colon = uri.UserInfo.IndexOf(':');
        var user = colon < 0 ? uri.UserInfo : uri.UserInfo[..colon];
        var password = colon < 0 ? "" : uri.UserInfo[(colon + 1)..];
        return new NetworkCredential(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
    }

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*://")]
    private static partial Regex UrlScheme();

    // scheme://user[:password]@ — the password may hold anything but '@', '/' and white space.
    [GeneratedRegex(@"(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?<user>[^/@\s:'""]*)(?<pass>:[^@\s/'""]*)?@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?<key>[A-Za-z_]+)=(?<value>[^&\s'""]+)")]
    private static partial Regex QuerySecret();
}
