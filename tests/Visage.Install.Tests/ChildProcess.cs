using System.Diagnostics;
using System.Text;

namespace Visage.Install.Tests;

/// <summary>A program run to its end: exit code and output, killed (with its children) past a timeout.</summary>
public sealed record ChildProcess(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Runs <paramref name="file"/>; <paramref name="env"/> adds variables (a null value removes one).</summary>
    public static ChildProcess Run(string file, IEnumerable<string> args, IDictionary<string, string?>? env = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var psi = Start(file, args, env, workingDirectory);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran past its timeout; stderr: {stderr.Result}");
        }
        p.WaitForExit();
        return new ChildProcess(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a script of the repository (scripts/NAME) and fails with its output when it fails.</summary>
    public static ChildProcess Script(string name, params string[] args)
    {
        var result = Run(Path.Combine(TestData.RepoRoot, "scripts", name), args, timeout: TimeSpan.FromMinutes(20), workingDirectory: TestData.RepoRoot);
        Assert.True(result.ExitCode == 0, $"scripts/{name} {string.Join(' ', args)}: {result}");
        return result;
    }

    public static ProcessStartInfo Start(string file, IEnumerable<string> args, IDictionary<string, string?>? env, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }
        return psi;
    }

    /// <summary>The lines written to stderr.</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => new StringBuilder().Append("exit ").Append(ExitCode)
        .Append("\nstdout: ").Append(Stdout).Append("\nstderr: ").Append(Stderr).ToString();
}
