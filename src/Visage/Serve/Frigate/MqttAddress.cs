namespace Visage.Serve.Frigate;

/// <summary>
/// A broker address, <c>mqtt://user:pass@host:1883</c> (or <c>mqtts://</c> for TLS, default port 8883); user name and
/// password are optional and percent-decoded. <see cref="ToString"/> never shows the password.
/// </summary>
/// <param name="Host">The broker's host name or address.</param>
/// <param name="Port">Its port.</param>
/// <param name="Tls">Connect with TLS.</param>
/// <param name="User">The user name, or null.</param>
/// <param name="Password">The password, or null.</param>
public sealed record MqttAddress(string Host, int Port, bool Tls, string? User, string? Password)
{
    /// <summary>Reads an <c>mqtt://</c> or <c>mqtts://</c> URL.</summary>
    /// <exception cref="ArgumentException">Not such a URL (the message never holds the password).</exception>
    public static MqttAddress Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts" or "tcp") || uri.Host.Length == 0)
            throw new ArgumentException("the MQTT address must look like mqtt://user:pass@host:1883 (or mqtts:// for TLS)");
        var tls = uri.Scheme == "mqtts";
        var info = uri.UserInfo.Split(':', 2);
        var user = info[0].Length > 0 ? Uri.UnescapeDataString(info[0]) : null;
        var password = info.Length > 1 ? Uri.UnescapeDataString(info[1]) : null;
        return new MqttAddress(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? (tls ? 8883 : 1883) : uri.Port, tls, user, password);
    }

    /// <summary>The address for logs: the password is never shown.</summary>
    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{(User is null ? "" : User + (Password is null ? "" : ":***") + "@")}{Host}:{Port}";
}
