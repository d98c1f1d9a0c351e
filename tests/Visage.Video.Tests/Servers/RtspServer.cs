namespace Visage.Video.Tests.Servers;

/// <summary>GStreamer's RTSP server (rtsp_server.py under Debian's python3) serving one mp4 on a loopback port.</summary>
public static class RtspServer
{
    /// <summary>Starts serving <paramref name="video"/> at <c>rtsp://127.0.0.1:PORT/cam</c> (a free port unless given).</summary>
    public static async Task<ServerProcess> StartAsync(string video, int? port = null)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Servers", "rtsp_server.py");
        var p = port ?? ServerProcess.FreePort();
        // Debian's python3, where python3-gi is installed (a pyenv python on PATH would not have it).
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        return await ServerProcess.StartAsync(python, [script, p.ToString(), "cam", video], p);
    }

    /// <summary>The URL of a server started by <see cref="StartAsync"/>.</summary>
    public static string Url(ServerProcess server, string? userInfo = null) =>
        $"rtsp://{(userInfo is null ? "" : userInfo + "@")}127.0.0.1:{server.Port}/cam";
}
