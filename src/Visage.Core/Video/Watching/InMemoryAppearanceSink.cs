namespace Visage.Video.Watching;

/// <summary>Keeps the most recent appearances in memory (a bounded list, oldest dropped first); safe from any thread.</summary>
/// <param name="capacity">The most appearances kept.</param>
public sealed class InMemoryAppearanceSink(int capacity = 1000) : IAppearanceSink
{
    private readonly Lock _lock = new();
    private readonly Queue<Appearance> _kept = new();

    /// <summary>Appearances added so far, dropped ones included.</summary>
    public long Count { get; private set; }

    /// <inheritdoc />
    public void Add(Appearance appearance)
    {
        ArgumentNullException.ThrowIfNull(appearance);
        lock (_lock)
        {
            _kept.Enqueue(appearance);
            if (_kept.Count > capacity) _kept.Dequeue();
            Count++;
        }
    }

    /// <summary>The kept appearances, oldest first (a copy).</summary>
    public IReadOnlyList<Appearance> Snapshot()
    {
        lock (_lock) return [.. _kept];
    }
}
