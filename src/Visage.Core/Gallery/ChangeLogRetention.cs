namespace Visage.Gallery;

/// <summary>
/// How long the change log keeps entries for readers (replicas) that fell behind. A reader away longer than
/// <see cref="Window"/> reloads the whole gallery when it comes back instead of replaying. The log holds ids only
/// (about 50 bytes an entry), so a day is cheap; the pruning and heartbeat intervals follow from the window.
/// </summary>
/// <param name="Window">Entries, and readers not heard from, are kept at most this long (default one day).</param>
public sealed record ChangeLogRetention(TimeSpan Window)
{
    /// <summary>One day.</summary>
    public ChangeLogRetention() : this(TimeSpan.FromDays(1))
    {
    }

    /// <summary>
    /// How often a reader records how far it read (10 s, or a tenth of a shorter window): pruning keeps at least this
    /// much of what the slowest live reader has read.
    /// </summary>
    public TimeSpan Heartbeat => Min(TimeSpan.FromSeconds(10), Window / 10);

    /// <summary>How often a reader prunes the log (a minute, or a quarter of a shorter window).</summary>
    public TimeSpan PruneInterval => Min(TimeSpan.FromMinutes(1), Window / 4);

    /// <summary>Throws when the window is not positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is zero or negative.</exception>
    public void Validate() => ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero, nameof(Window));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
