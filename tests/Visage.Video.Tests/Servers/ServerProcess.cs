using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Visage.Video.Tests.Servers;

/// <summary>
/// A server child process of a test (the RTSP server, ffmpeg serving MJPEG): started, waited for until its port
/// answers, and killed (whole tree, reaped) on dispose — also when the test host exits early.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private static readonly List<Process> Live = [];
    private readonly Process _process;

    static ServerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        lock (Live) foreach (var p in Live) Kill(p);
    };

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The loopback TCP port it serves.</summary>
    public int Port { get; }

    /// <summary>The OS process id.</summary>
    public int Id => _process.Id;

    /// <summary>Starts <paramref name="executable"/> and returns once it listens on <paramref name="port"/>.</summary>
    public static async Task<ServerProcess> StartAsync(string executable, IReadOnlyList<string> args, int port)
    {
        var psi = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        lock (Live) Live.Add(process);
        var server = new ServerProcess(process, port);
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        // Read from the kernel's socket table rather than probed: ffmpeg -listen 1 would take a probe for its one client.
        for (var i = 0; i < 400; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"{Path.GetFileName(executable)} exited ({process.ExitCode}): {await errors}");
            if (IsListening(port)) return server;
            await Task.Delay(25);
        }
        server.Dispose();
        throw new TimeoutException($"{Path.GetFileName(executable)} did not listen on port {port}");
    }

    /// <summary>True when some process listens on TCP <paramref name="port"/> (IPv4), per <c>/proc/net/tcp</c>.</summary>
    public static bool IsListening(int port)
    {
        var hex = ":" + port.ToString("X4");
        // "  sl  local_address rem_address   st ..." with the state 0A = LISTEN.
        return File.ReadLines("/proc/net/tcp").Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(f => f.Length > 3 && f[1].EndsWith(hex, StringComparison.Ordinal) && f[3] == "0A");
    }

    /// <summary>A free loopback TCP port.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Freezes the process (SIGSTOP): its connections stay open and send nothing — a stalled stream.</summary>
    public void Freeze() => Signal("-STOP");

    /// <summary>Kills and reaps the process.</summary>
    public void Dispose()
    {
        Kill(_process);
        lock (Live) Live.Remove(_process);
        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString()]);
        kill.WaitForExit();
    }

    private static void Kill(Process p)
    {
        try
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
