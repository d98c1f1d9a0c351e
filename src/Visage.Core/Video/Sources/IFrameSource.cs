namespace Visage.Video.Sources;

/// <summary>
/// Something that yields video frames: a file, a stream, a device or a polled snapshot URL. Files end; live
/// sources run until cancelled, reconnecting on their own and dropping frames (counted) rather than queueing them.
/// </summary>
public interface IFrameSource : IAsyncDisposable
{
    /// <summary>The source, masked of credentials (fit for logs).</summary>
    SourceUrl Source { get; }

    /// <summary>Frames decoded, delivered, dropped; reconnects; last error.</summary>
    SourceCounters Counters { get; }

    /// <summary>
    /// The frames, in order. Dispose each frame when done with it. One reader at a time.
    /// </summary>
    /// <exception cref="VideoSourceException">A file that cannot be read (never thrown for a live source).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    IAsyncEnumerable<VideoFrame> ReadAsync(CancellationToken cancellationToken = default);
}
