namespace Visage.Video.Sources;

/// <summary>
/// Live counters of one source, safe to read from any thread while the source runs (metrics, status lines).
/// Errors are stored already masked: nothing here can print a credential.
/// </summary>
public sealed class SourceCounters
{
    private long _decoded;
    private long _delivered;
    private long _dropped;
    private long _reconnects;
    private long _errors;
    private long _buffers;
    private SourceError? _lastError;

    /// <summary>Frames that came out of the decoder (or were fetched and decoded, for snapshots).</summary>
    public long FramesDecoded => Interlocked.Read(ref _decoded);

    /// <summary>Frames handed to the consumer.</summary>
    public long FramesDelivered => Interlocked.Read(ref _delivered);

    /// <summary>Frames decoded but never handed over because the consumer was slower than a live source.</summary>
    public long FramesDropped => Interlocked.Read(ref _dropped);

    /// <summary>Times a live source was started again after its stream ended, failed or stalled.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Failures seen (failed connections, failed requests, stalls, undecodable snapshots).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>
    /// Frame buffers allocated so far: stays at a handful while the consumer disposes its frames (memory is flat
    /// however long the source runs); grows only while the consumer keeps frames.
    /// </summary>
    public long FrameBuffersAllocated => Interlocked.Read(ref _buffers);

    /// <summary>The most recent failure (masked), or null when there was none.</summary>
    public SourceError? LastError => Volatile.Read(ref _lastError);

    internal void Decoded() => Interlocked.Increment(ref _decoded);

    internal void Delivered() => Interlocked.Increment(ref _delivered);

    internal void Dropped() => Interlocked.Increment(ref _dropped);

    internal void BufferAllocated() => Interlocked.Increment(ref _buffers);

    internal void Reconnected() => Interlocked.Increment(ref _reconnects);

    internal void Failed(string maskedMessage)
    {
        Interlocked.Increment(ref _errors);
        Volatile.Write(ref _lastError, new SourceError(maskedMessage, DateTimeOffset.UtcNow));
    }

    /// <summary>One line for logs: <c>decoded 250, delivered 240, dropped 10, reconnects 1, errors 1</c>.</summary>
    public override string ToString() =>
        $"decoded {FramesDecoded}, delivered {FramesDelivered}, dropped {FramesDropped}, reconnects {Reconnects}, errors {Errors}";
}

/// <summary>A failure of a source, masked of credentials.</summary>
/// <param name="Message">What went wrong, fit for logs.</param>
/// <param name="TimeUtc">When.</param>
public sealed record SourceError(string Message, DateTimeOffset TimeUtc);
