using Visage.Video.Sources;
using Visage.Video.Watching;

namespace Visage.Serve.Cameras;

/// <summary>A camera's counts, summed over the runs of its source (a file played again, a source reopened after a failure).</summary>
/// <param name="Decoded">Frames decoded.</param>
/// <param name="Processed">Frames detected, tracked and decided.</param>
/// <param name="Dropped">Frames decoded but dropped because processing was behind.</param>
/// <param name="Reconnects">Times the live source was started again.</param>
/// <param name="Appeared">Appearances begun.</param>
/// <param name="Named">Appearances decided as an enrolled person.</param>
/// <param name="Strangers">Appearances decided as a stranger.</param>
public readonly record struct CameraTotals(long Decoded, long Processed, long Dropped, long Reconnects, long Appeared, long Named, long Strangers)
{
    /// <summary>The counts of one run.</summary>
    public static CameraTotals Of(IFrameSource source, FaceWatcher watcher)
    {
        var (s, w) = (source.Counters, watcher.Counters);
        return new(s.FramesDecoded, w.FramesProcessed, s.FramesDropped, s.Reconnects, w.Appeared, w.Named, w.Strangers);
    }

    /// <summary>The sum of two.</summary>
    public static CameraTotals operator +(CameraTotals a, CameraTotals b) => new(a.Decoded + b.Decoded, a.Processed + b.Processed,
        a.Dropped + b.Dropped, a.Reconnects + b.Reconnects, a.Appeared + b.Appeared, a.Named + b.Named, a.Strangers + b.Strangers);
}
