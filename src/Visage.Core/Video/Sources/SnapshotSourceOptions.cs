namespace Visage.Video.Sources;

/// <summary>How <see cref="SnapshotFrameSource"/> polls a still-image URL.</summary>
public sealed record SnapshotSourceOptions
{
    /// <summary>Time between the starts of two requests (a slow answer delays the next one, never stacks them).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A request that has not answered in this long counts as failed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First delay after a failure before trying again; doubled per failure, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between attempts after failures.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest image response accepted, in bytes.</summary>
    public long MaxResponseBytes { get; init; } = 32 << 20;

    /// <exception cref="ArgumentException">A value out of range.</exception>
    internal void Validate()
    {
        if (Interval <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("interval and timeout must be positive");
        if (RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay) throw new ArgumentException("retry delays must be positive, the maximum at least the first");
        if (MaxResponseBytes < 1024) throw new ArgumentException("the response limit must be at least 1 KB");
    }
}
