using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Visage.Video.Sources;

/// <summary>
/// One ffmpeg (or ffprobe) child process: stdout is the data, stderr is read line by line in the background for
/// the output frame size and the last error lines (masked as they arrive). Disposing kills the process tree and
/// waits for it, so no zombie and no orphan is left behind.
/// </summary>
internal sealed partial class FfmpegProcess : IAsyncDisposable
{
    private const int ErrorLinesKept = 4;
    private readonly Process _process;
    private readonly SourceUrl _source;
    private readonly Queue<string> _errors = new();
    private readonly TaskCompletionSource<(int Width, int Height)> _size = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stderr;
    private bool _inOutput;

    private FfmpegProcess(Process process, SourceUrl source)
    {
        _process = process;
        _source = source;
        _stderr = Task.Run(ReadStderrAsync);
    }

    /// <summary>Raw bytes from ffmpeg's stdout.</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>The OS process id (tests check the process table with it).</summary>
    public int Id => _process.Id;

    /// <summary>The size of the frames ffmpeg writes, from its output stream line; fails when ffmpeg exits first.</summary>
    public Task<(int Width, int Height)> FrameSize => _size.Task;

    /// <summary>Starts <paramref name="executable"/> with <paramref name="arguments"/>.</summary>
    /// <exception cref="VideoSourceException">The executable is not installed.</exception>
    public static FfmpegProcess Start(string executable, IReadOnlyList<string> arguments, SourceUrl source)
    {
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        try
        {
            return new FfmpegProcess(Process.Start(psi) ?? throw Missing(executable), source);
        }
        catch (Win32Exception)
        {
            throw Missing(executable);
        }
    }

    /// <summary>The error for a missing ffmpeg or ffprobe, saying how to install it.</summary>
    public static VideoSourceException Missing(string executable) => new(VideoSourceError.FfmpegMissing,
        $"{Path.GetFileName(executable)} is not installed (or not on PATH): apt-get install ffmpeg (scripts/ffmpeg.sh does)");

    /// <summary>Waits for the process to end on its own and for its stderr to be read; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _stderr.ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>The last error lines ffmpeg printed, masked, joined by <c>" | "</c> (empty when there were none).</summary>
    public string ErrorTail()
    {
        lock (_errors) return string.Join(" | ", _errors);
    }

    /// <summary>Ends the process now (the stream reader sees the end of stdout).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>Kills the process tree if it still runs and waits until it is gone (reaped: no zombie).</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        try
        {
            await _stderr.ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The pipe broke as the process died.
        }
        _process.Dispose();
    }

    private async Task ReadStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
                OnLine(line);
        }
        finally
        {
            _size.TrySetException(new InvalidOperationException("ffmpeg wrote no output stream"));
        }
    }

    private void OnLine(string line)
    {
        // -loglevel level+info tags every line: "[info] ...", "[tcp @ 0x..] [error] ...".
        if (line.Contains("[error]", StringComparison.Ordinal) || line.Contains("[fatal]", StringComparison.Ordinal))
        {
            var text = SourceUrl.MaskText(ErrorPrefix().Replace(line, ""), _source.Credentials).Trim();
            lock (_errors)
            {
                _errors.Enqueue(text);
                if (_errors.Count > ErrorLinesKept) _errors.Dequeue();
            }
            return;
        }
        if (line.Contains("Output #0", StringComparison.Ordinal)) _inOutput = true;
        else if (_inOutput && OutputVideo().Match(line) is { Success: true } m)
            _size.TrySetResult((int.Parse(m.Groups["w"].ValueSpan), int.Parse(m.Groups["h"].ValueSpan)));
    }

    // "[tcp @ 0x55..] [error] " and "[error] ".
    [GeneratedRegex(@"^(\[[^\]]*\]\s*)+")]
    private static partial Regex ErrorPrefix();

    // "Stream #0:0(und): Video: rawvideo (RGB[24] / 0x18424752), rgb24(pc, ...), 1280x720 [SAR 1:1 DAR 16:9], ..."
    [GeneratedRegex(@"Video: rawvideo.*?, (?<w>\d{1,5})x(?<h>\d{1,5})[ ,\[]")]
    private static partial Regex OutputVideo();
}
