using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Visage.Reliability;

/// <summary>
/// Debian's nginx running <c>deploy/nginx/visage.conf</c> (its replica and listen ports replaced) in the foreground,
/// inside a minimal main configuration whose files all live in a temp directory.
/// </summary>
public sealed class Nginx : IDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _dir;

    private Nginx(Process process, DirectoryInfo dir, int port)
    {
        _process = process;
        _dir = dir;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    public static string ConfigPath => Path.Combine(RepoPaths.Root, "deploy", "nginx", "visage.conf");

    public static async Task<Nginx> StartAsync(IReadOnlyList<Uri> replicas)
    {
        var binary = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed (apt-get install nginx-light; scripts/test.sh does)");
        var dir = Directory.CreateTempSubdirectory("visage-nginx-");
        // The workers run as an unprivileged user and buffer request bodies under this directory.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir.FullName, (UnixFileMode)0b111_111_111);
        var port = FreePort();
        var site = File.ReadAllText(ConfigPath)
            .Replace("127.0.0.1:5081", replicas[0].Authority).Replace("127.0.0.1:5082", replicas[1].Authority)
            .Replace("listen 127.0.0.1:8080", $"listen 127.0.0.1:{port}");
        File.WriteAllText(Path.Combine(dir.FullName, "visage.conf"), site);
        var d = dir.FullName;
        File.WriteAllText(Path.Combine(d, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{d}}/nginx.pid;
            error_log {{d}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log {{d}}/access.log;
                client_body_temp_path {{d}}/body;
                proxy_temp_path {{d}}/proxy;
                fastcgi_temp_path {{d}}/fastcgi;
                uwsgi_temp_path {{d}}/uwsgi;
                scgi_temp_path {{d}}/scgi;
                include {{d}}/visage.conf;
            }
            """);
        var psi = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-p", d, "-c", Path.Combine(d, "nginx.conf"), "-g", "daemon off;"]) psi.ArgumentList.Add(a);
        var nginx = new Nginx(Process.Start(psi)!, dir, port);
        for (var i = 0; i < 100; i++)
        {
            if (nginx._process.HasExited) throw new InvalidOperationException("nginx exited: " + await nginx._process.StandardError.ReadToEndAsync());
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return nginx;
            }
            catch (SocketException) { await Task.Delay(50); }
        }
        nginx.Dispose();
        throw new TimeoutException("nginx did not listen");
    }

    public void Dispose()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // the master and its workers
        _process.WaitForExit();
        _process.Dispose();
        try { _dir.Delete(recursive: true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
