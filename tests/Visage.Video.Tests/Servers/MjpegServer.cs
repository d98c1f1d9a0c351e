using System.Globalization;

namespace Visage.Video.Tests.Servers;

/// <summary>ffmpeg's own HTTP server sending a video as an MJPEG stream (<c>-f mpjpeg -listen 1</c>) in real time.</summary>
public static class MjpegServer
{
    /// <summary>Serves <paramref name="video"/> scaled to <paramref name="width"/> wide at <c>http://127.0.0.1:PORT/stream.mjpg</c>.</summary>
    /// <remarks>ffmpeg listens for one client and starts its real-time clock when that client connects.</remarks>
    public static async Task<ServerProcess> StartAsync(string video, int width)
    {
        var port = ServerProcess.FreePort();
        var server = await ServerProcess.StartAsync("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-i", video, "-an",
            "-vf", $"scale={width.ToString(CultureInfo.InvariantCulture)}:-2", "-c:v", "mjpeg", "-q:v", "6",
            "-f", "mpjpeg", "-listen", "1", $"http://127.0.0.1:{port}/stream.mjpg"], port);
        return server;
    }

    /// <summary>The URL of a server started by <see cref="StartAsync"/>.</summary>
    public static string Url(ServerProcess server) => $"http://127.0.0.1:{server.Port}/stream.mjpg";
}
