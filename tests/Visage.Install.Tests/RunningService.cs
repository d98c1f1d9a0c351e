using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Visage.Install.Tests;

/// <summary>
/// A started <c>visage serve</c> (the published executable, or <c>podman run</c> of the image): its output collected,
/// the address taken from its "listening on" line, stopped (SIGTERM, then SIGKILL) on dispose.
/// </summary>
public sealed partial class RunningService : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningService(Process process) => _process = process;

    /// <summary>Everything printed so far (stdout and stderr, interleaved by line).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Starts the program; use <see cref="ListeningAsync"/> or <see cref="ExitAsync"/> next.</summary>
    public static RunningService Start(string file, IEnumerable<string> args, IDictionary<string, string?>? env = null)
    {
        var service = new RunningService(new Process { StartInfo = ChildProcess.Start(file, args, env), EnableRaisingEvents = true });
        service._process.OutputDataReceived += (_, e) => service.Line(e.Data);
        service._process.ErrorDataReceived += (_, e) => service.Line(e.Data);
        service._process.Exited += (_, _) => service._listening.TrySetException(new InvalidOperationException("exited before listening"));
        service._process.Start();
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        return service;
    }

    /// <summary>The address of its "visage: listening on" line.</summary>
    public async Task<Uri> ListeningAsync(TimeSpan timeout)
    {
        try
        {
            return await _listening.Task.WaitAsync(timeout);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"not listening ({e.Message}); output:\n{Output}", e);
        }
    }

    /// <summary>Waits until <c>GET /ready</c> at <paramref name="address"/> answers 200; how long that took.</summary>
    public Task<TimeSpan> ReadyAsync(Uri address, TimeSpan timeout, Stopwatch? since = null) =>
        Loopback.WaitReadyAsync(address, timeout, () => _process.HasExited, since, () => Output);

    /// <summary>Waits for the process to end by itself; its exit code.</summary>
    public async Task<int> ExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit(); // the output's last lines
        return _process.ExitCode;
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            ChildProcess.Run("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(15))) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private void Line(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (ListeningLine().Match(line) is { Success: true } m) _listening.TrySetResult(new Uri(m.Groups[1].Value));
    }

    [GeneratedRegex(@"^visage: listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
