using System.Diagnostics;
using System.Globalization;
using Visage.Video.Sources;
using Visage.Video.Tracking;
using Visage.Video.Watching;

namespace Visage.Cli;

/// <summary>
/// What <c>visage watch</c> prints: with <c>--json</c> one JSON line per event on stdout (nothing else there); without
/// it a human line per event, a status line redrawn on a terminal (fps, faces, tracks), and a summary at the end.
/// </summary>
public sealed class WatchConsole(bool json, IFrameSource source, FaceWatcher watcher)
{
    private static readonly TimeSpan StatusEvery = TimeSpan.FromMilliseconds(250);
    private readonly bool _status = !json && !Console.IsOutputRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastStatus = TimeSpan.MinValue;
    private (TimeSpan At, long Frames) _rateFrom = (TimeSpan.Zero, 0);
    private double _fps;
    private SourceError? _lastError;

    /// <summary>Prints one event.</summary>
    public void Event(AppearanceEvent e)
    {
        if (json)
        {
            Console.Out.WriteLine(e.ToJson());
            return;
        }
        ClearStatus();
        var time = e.Time.Utc is { } utc ? utc.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) : $"{e.Time.Seconds,8:0.0}s";
        var who = e.Decision is null ? "" : e.Decision.Name ?? "unknown";
        var detail = e.Kind switch
        {
            AppearanceEventKind.Identified when e.Decision?.Distance is { } d => $"{who} (distance {d:0.000}, confidence {e.Decision.Confidence:0.00})",
            AppearanceEventKind.Left => $"{who} after {e.DurationSeconds:0.0} s, {e.Frames} frames",
            _ => who,
        };
        Console.Out.WriteLine($"{time}  {e.Camera}  track {e.Track,-4} {e.EventName,-10} {detail}");
    }

    /// <summary>Redraws the status line (at most four times a second, on a terminal only).</summary>
    public void Frame(WatchedFrame frame)
    {
        if (!_status || _clock.Elapsed - _lastStatus < StatusEvery) return;
        _lastStatus = _clock.Elapsed;
        var processed = watcher.Counters.FramesProcessed;
        if (_clock.Elapsed - _rateFrom.At >= TimeSpan.FromSeconds(1))
        {
            _fps = (processed - _rateFrom.Frames) / (_clock.Elapsed - _rateFrom.At).TotalSeconds;
            _rateFrom = (_clock.Elapsed, processed);
        }
        Console.Out.Write($"\r\x1b[K{_fps,5:0.0} fps  faces {frame.Faces.Count}  tracks {frame.ActiveTracks}  frames {processed}  dropped {source.Counters.FramesDropped}  at {frame.Stamp.Seconds:0.0} s");
    }

    /// <summary>
    /// Warns on stderr, once per new failure, when the source fails (a live source then reconnects with backoff);
    /// the message is masked. Called from a timer: it only reads the source's counters.
    /// </summary>
    public void CheckSource()
    {
        var error = source.Counters.LastError;
        if (error is null || error == _lastError) return;
        _lastError = error;
        ClearStatus();
        Console.Error.WriteLine($"visage: warning: {error.Message}; {(source.Source.IsLive ? "reconnecting" : "stopping")} ({source.Counters})");
    }

    /// <summary>The closing summary: on stdout, or on stderr with <c>--json</c> (stdout holds events only).</summary>
    public void Summary()
    {
        ClearStatus();
        var c = watcher.Counters;
        var seconds = _clock.Elapsed.TotalSeconds;
        var line = FormattableString.Invariant(
            $"{c.Left} appearances: {c.Named} named, {c.Strangers} strangers; {c.FramesProcessed} frames processed in {seconds:0.0} s ({c.FramesProcessed / Math.Max(seconds, 1e-3):0.0} fps), {source.Counters.FramesDropped} dropped, {source.Counters.Reconnects} reconnects");
        (json ? Console.Error : Console.Out).WriteLine(line);
    }

    private void ClearStatus()
    {
        if (_status && _lastStatus != TimeSpan.MinValue) Console.Out.Write("\r\x1b[K");
    }
}
