using Visage.Video.Sources;

namespace Visage.Video.Tests.Sources;

/// <summary>Reads a live source in the background for a test, so the test can await conditions on its counters.</summary>
public sealed class LiveRead : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Index, double Seconds, DateTimeOffset Utc, int Width, int Height)> _frames = [];
    private readonly Task _reader;

    /// <summary>Starts reading; <paramref name="work"/> simulates the consumer's processing of each frame.</summary>
    public LiveRead(IFrameSource source, Func<VideoFrame, Task>? work = null)
    {
        Source = source;
        _reader = Task.Run(async () =>
        {
            await foreach (var frame in source.ReadAsync(_stop.Token))
                using (frame)
                {
                    lock (_frames) _frames.Add((frame.Index, frame.Seconds, frame.WallClockUtc!.Value, frame.Image.Width, frame.Image.Height));
                    if (work is not null) await work(frame);
                }
        });
    }

    /// <summary>The source read.</summary>
    public IFrameSource Source { get; }

    /// <summary>Frames received so far (index, seconds, arrival, size).</summary>
    public IReadOnlyList<(long Index, double Seconds, DateTimeOffset Utc, int Width, int Height)> Frames
    {
        get
        {
            lock (_frames) return _frames.ToList();
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked every 20 ms), failing after <paramref name="seconds"/>.</summary>
    public async Task UntilAsync(Func<bool> condition, double seconds, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (_reader.IsFaulted) await _reader; // Surface the reader's exception.
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what}: not within {seconds} s ({Source.Counters}; last error: {Source.Counters.LastError?.Message})");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits for <paramref name="count"/> frames in all.</summary>
    public Task FramesAsync(int count, double seconds) => UntilAsync(() => Frames.Count >= count, seconds, $"{count} frames");

    /// <summary>Stops reading; the reader must end by cancellation, never by another exception.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
            // How a live read ends.
        }
        await Source.DisposeAsync();
        _stop.Dispose();
    }
}
