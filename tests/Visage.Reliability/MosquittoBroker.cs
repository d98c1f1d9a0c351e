using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Visage.Reliability;

/// <summary>
/// Debian's mosquitto on a loopback port with a password file, through <c>scripts/mosquitto.sh</c> (which installs it when
/// missing): started, halted and resumed on the same port (the broker going away), stopped and deleted on dispose.
/// </summary>
public sealed partial class MosquittoBroker : IDisposable
{
    private MosquittoBroker(string url, string directory)
    {
        Url = url;
        Directory = directory;
        var uri = new Uri(url);
        (User, Password, Port) = (uri.UserInfo.Split(':')[0], uri.UserInfo.Split(':')[1], uri.Port);
    }

    /// <summary><c>mqtt://visage:PASSWORD@127.0.0.1:PORT</c>.</summary>
    public string Url { get; }

    public string User { get; }

    /// <summary>The password (random per broker): a test checks that it never reaches a log.</summary>
    public string Password { get; }

    public int Port { get; }

    public string Directory { get; }

    public static MosquittoBroker Start()
    {
        var output = Script("start");
        var url = UrlLine().Match(output).Groups[1].Value;
        var dir = DirLine().Match(output).Groups[1].Value;
        if (url.Length == 0 || dir.Length == 0) throw new InvalidOperationException("scripts/mosquitto.sh start printed no broker: " + output);
        return new MosquittoBroker(url, dir);
    }

    /// <summary>Stops the broker (clients lose their connection), keeping its port and files.</summary>
    public void Halt() => Script("halt", Directory);

    /// <summary>Starts it again on the same port.</summary>
    public void Resume() => Script("resume", Directory);

    public void Dispose() => Script("stop", Directory);

    private static string Script(params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "scripts", "mosquitto.sh")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(); throw new TimeoutException("scripts/mosquitto.sh " + string.Join(' ', args)); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"scripts/mosquitto.sh {string.Join(' ', args)}: exit {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    [GeneratedRegex("VISAGE_TEST_MQTT='([^']+)'")]
    private static partial Regex UrlLine();

    [GeneratedRegex("VISAGE_TEST_MQTT_DIR='([^']+)'")]
    private static partial Regex DirLine();
}
