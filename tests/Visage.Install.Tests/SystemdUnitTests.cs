using Xunit.Abstractions;

namespace Visage.Install.Tests;

/// <summary>deploy/systemd/visage.service passes <c>systemd-analyze verify</c> without a word, and its hardening scores as such.</summary>
public sealed class SystemdUnitTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-unit-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Unit => File.ReadAllText(Path.Combine(TestData.RepoRoot, "deploy", "systemd", "visage.service"));

    /// <summary>
    /// The unit as shipped, with its ExecStart pointed at an executable that exists here (verify checks it), written
    /// where systemd-analyze reads it.
    /// </summary>
    private string Installed(string text)
    {
        var executable = Path.Combine(_dir.FullName, "visage");
        File.WriteAllText(executable, "#!/bin/sh\n");
        ChildProcess.Run("chmod", ["+x", executable]);
        Assert.Contains("ExecStart=/opt/visage/visage serve", text);
        var path = Path.Combine(_dir.FullName, "visage.service");
        File.WriteAllText(path, text.Replace("/opt/visage/visage", executable));
        return path;
    }

    private static ChildProcess Verify(string path)
    {
        ChildProcess.Script("ensure-debian.sh", "/usr/bin/systemd-analyze", "systemd");
        return ChildProcess.Run("systemd-analyze", ["verify", path]);
    }

    [Fact]
    public void TheUnit_Verifies_WithNoWarning()
    {
        var result = Verify(Installed(Unit));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("visage.service", result.Stdout + result.Stderr);
    }

    [Fact]
    public void AMisspeltOption_IsCaught_SoTheCheckAboveCanFail()
    {
        var result = Verify(Installed(Unit.Replace("ProtectSystem=strict", "ProtectSystm=strict")));
        Assert.Contains("Unknown key 'ProtectSystm'", result.Stderr);
    }

    [Fact]
    public void TheUnit_RunsAsItsOwnUser_InItsStateDirectory_Hardened()
    {
        foreach (var line in new[] { "User=visage", "StateDirectory=visage", "Environment=VISAGE_HOME=/var/lib/visage", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes" })
            Assert.Contains(line + "\n", Unit);
        var security = ChildProcess.Run("systemd-analyze", ["security", "--offline=true", Installed(Unit)]);
        var overall = security.Stdout.Split('\n').Single(l => l.Contains("Overall exposure level"));
        output.WriteLine(overall);
        var score = double.Parse(System.Text.RegularExpressions.Regex.Match(overall, @"level for \S+: ([0-9.]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(score <= 2.0, overall); // systemd's scale: 0 (locked down) to 10 (exposed); "OK" is below 4
    }
}
