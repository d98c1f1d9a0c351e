using System.Collections.Concurrent;
using Visage.Video.Sources;
using Visage.Video.Tracking;
using Visage.Video.Watching;

namespace Visage.Video.Tests.Watching;

/// <summary>A watcher running on a live source in the background, with its events collected; disposing stops it.</summary>
public sealed class LiveWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<AppearanceEvent> _events = new();
    private readonly Task _run;

    public LiveWatch(FaceWatcher watcher, IFrameSource source)
    {
        Watcher = watcher;
        Source = source;
        _run = Task.Run(() => watcher.RunAsync(source, _events.Enqueue, cancellationToken: _stop.Token));
    }

    public FaceWatcher Watcher { get; }

    public IFrameSource Source { get; }

    public IReadOnlyList<AppearanceEvent> Events => [.. _events];

    /// <summary>The names of the <c>identified</c> events so far (null for a stranger).</summary>
    public IReadOnlyList<string?> Identified => Events.Where(e => e.Kind == AppearanceEventKind.Identified).Select(e => e.Decision?.Name).ToList();

    /// <summary>Waits for <paramref name="condition"/>, failing with what was seen when it does not come in time.</summary>
    public async Task UntilAsync(Func<bool> condition, double seconds, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (_run.IsFaulted) await _run; // the watcher's exception
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what}: not within {seconds} s (source: {Source.Counters}; last error: {Source.Counters.LastError?.Message}; " +
                    $"processed {Watcher.Counters.FramesProcessed}; identified: {string.Join(", ", Identified.Select(n => n ?? "unknown"))})");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the watcher; it must end by cancellation, never by another exception.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // How a live watch ends.
        }
        await Source.DisposeAsync();
        _stop.Dispose();
    }
}
