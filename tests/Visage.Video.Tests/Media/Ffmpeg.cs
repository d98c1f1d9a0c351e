using System.Diagnostics;

namespace Visage.Video.Tests.Media;

/// <summary>Runs Debian's ffmpeg from the tests (generating and converting test media, serving streams).</summary>
public static class Ffmpeg
{
    /// <summary>Runs ffmpeg to the end; throws with its error output when it fails.</summary>
    public static async Task RunAsync(IEnumerable<string> args, CancellationToken cancellationToken = default)
    {
        using var p = Start(["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. args], redirectInput: false);
        var errors = p.StandardError.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken);
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed ({p.ExitCode}): {await errors}");
    }

    /// <summary>Starts ffmpeg with stdin, stdout and stderr redirected (stdout is not read: pass an output file or -f null).</summary>
    public static Process Start(IReadOnlyList<string> args, bool redirectInput = true)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardInput = redirectInput, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            return Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("ffmpeg is not installed: run scripts/ffmpeg.sh (apt-get install ffmpeg)");
        }
    }
}
