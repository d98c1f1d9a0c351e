using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Visage.Imaging;
using Visage.Video.Sources;

namespace Visage.Video.Watching;

/// <summary>
/// Writes frames to a video file through an ffmpeg child process (raw RGB on its stdin, H.264 in the container the
/// file's extension names). Every frame must have the size of the first. Disposing closes the input, waits for the
/// encoder to finish the file and reaps it (or kills it when it does not end).
/// </summary>
public sealed class AnnotatedVideoWriter : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Task<string> _stderr;
    private readonly string _path;
    private int? _exitCode;

    private AnnotatedVideoWriter(Process process, string path, int width, int height)
    {
        _process = process;
        _path = path;
        _input = process.StandardInput.BaseStream;
        _stderr = process.StandardError.ReadToEndAsync();
        Width = width;
        Height = height;
    }

    /// <summary>Frame width.</summary>
    public int Width { get; }

    /// <summary>Frame height.</summary>
    public int Height { get; }

    /// <summary>Frames written.</summary>
    public long Frames { get; private set; }

    /// <summary>Starts the encoder for frames of <paramref name="width"/> x <paramref name="height"/> at <paramref name="fps"/>.</summary>
    /// <exception cref="VideoSourceException">ffmpeg is not installed.</exception>
    public static AnnotatedVideoWriter Start(string path, int width, int height, double fps, string ffmpegPath = "ffmpeg")
    {
        var psi = new ProcessStartInfo(ffmpegPath) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args =
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width}x{height}", "-r", fps.ToString("0.###", CultureInfo.InvariantCulture), "-i", "-",
            // Odd sizes cannot be yuv420p: pad to even (a 4K camera scaled by ffmpeg to 1280 wide is even anyway).
            "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", path,
        ];
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            return new AnnotatedVideoWriter(Process.Start(psi) ?? throw FfmpegProcess.Missing(ffmpegPath), path, width, height);
        }
        catch (Win32Exception)
        {
            throw FfmpegProcess.Missing(ffmpegPath);
        }
    }

    /// <summary>Appends one frame.</summary>
    /// <exception cref="ArgumentException">A frame of another size than the first.</exception>
    /// <exception cref="IOException">The encoder stopped (its error is in the message).</exception>
    public void Write(RgbImage frame)
    {
        if (frame.Width != Width || frame.Height != Height)
            throw new ArgumentException($"frames of {Width}x{Height} expected, got {frame.Width}x{frame.Height}");
        try
        {
            _input.Write(frame.Pixels, 0, frame.Width * frame.Height * 3);
            Frames++;
        }
        catch (IOException e)
        {
            throw new IOException($"the encoder of {_path} stopped: {Error()}", e);
        }
    }

    /// <summary>Closes the input and waits for the file to be finished.</summary>
    /// <exception cref="IOException">The encoder failed (its error is in the message).</exception>
    public async Task FinishAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        if (_exitCode != 0) throw new IOException($"the encoder of {_path} stopped: {Error()}");
    }

    /// <summary>Closes the input and waits (up to a minute) for the file to be finished; then the process is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_exitCode is not null) return;
        try { _input.Dispose(); }
        catch (IOException) { } // the encoder already died: its error is reported by Write
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        await _stderr.ConfigureAwait(false);
        _exitCode = _process.ExitCode;
        _process.Dispose();
    }

    private string Error() => _stderr.IsCompleted ? _stderr.Result.Trim() : "(no message)";
}
