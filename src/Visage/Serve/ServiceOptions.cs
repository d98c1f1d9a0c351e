using Visage.Gallery;
using Visage.Pipeline;

namespace Visage.Serve;

/// <summary>Settings of <c>visage serve</c>; the defaults are the documented embedded defaults.</summary>
public sealed record ServiceOptions
{
    /// <summary>The default address: the page and the API on port 5080 of this machine only.</summary>
    public const string DefaultUrls = "http://localhost:5080";

    /// <summary>Addresses to listen on, separated by ';' (port 0 picks a free port).</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The gallery: a SQLite path or a PostgreSQL connection string.</summary>
    public required string Database { get; init; }

    /// <summary>The pipeline's settings (they decide the model id the gallery is matched with).</summary>
    public FaceAnalyzerOptions Analyzer { get; init; } = new();

    /// <summary>
    /// How every face is decided unless a request says otherwise: the open-set rule at the operating point set by
    /// <c>--strictness</c> or <c>VISAGE_STRICTNESS</c> (default balanced, 1% of strangers named). The recognize API, the
    /// CompreFace and DeepStack APIs and the Frigate bridge all decide with it.
    /// </summary>
    public Matching.MatchingOptions Matching { get; init; } = Visage.Matching.MatchingOptions.Default;

    /// <summary>Images over this many pixels are refused with 413 before they are decoded.</summary>
    public long MaxPixels { get; init; } = Imaging.ImagingOptions.DefaultMaxPixels;

    /// <summary>Request bodies over this many bytes are refused with 413 (default 20 MB).</summary>
    public long MaxBodyBytes { get; init; } = 20L * 1024 * 1024;

    /// <summary>Images analyzed at once (default: one per core).</summary>
    public int MaxConcurrency { get; init; } = Environment.ProcessorCount;

    /// <summary>Requests that may wait for an analysis slot; more get 503 with Retry-After (default: one per core).</summary>
    public int QueueLimit { get; init; } = Environment.ProcessorCount;

    /// <summary>Requests per second each API key may make on average (token bucket refill).</summary>
    public int RateLimitPerSecond { get; init; } = 20;

    /// <summary>Requests a key may make at once before the rate applies (the bucket's size).</summary>
    public int RateLimitBurst { get; init; } = 100;

    /// <summary>Origins allowed to call the API from other web pages (CORS); empty (the default) allows none.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>The first admin key (from VISAGE_ADMIN_KEY); null to generate one and print it once.</summary>
    public string? AdminKey { get; init; }

    /// <summary>How long sightings (appearances reported by the Frigate bridge and cameras) are kept.</summary>
    public Sightings.SightingRetention SightingRetention { get; init; } = new();

    /// <summary>How long the change log keeps entries for a replica that fell behind (it reloads after that).</summary>
    public ChangeLogRetention ChangeLog { get; init; } = new();

    /// <summary>
    /// How long erasures are gathered before a PostgreSQL table is rewritten to make them final on disk (a burst of
    /// deletes costs one rewrite); SQLite erases at once.
    /// </summary>
    public TimeSpan ErasureDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The Frigate bridge (MQTT events in, sub labels and matches out), or null for none.</summary>
    public Frigate.FrigateOptions? Frigate { get; init; }

    /// <summary>The least severe log level written.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>
    /// Also write ASP.NET Core's own information lines (start-up, hosting). Off by default: the framework's categories
    /// log at Warning, so the first lines a user reads are the address and the admin key.
    /// </summary>
    public bool Verbose { get; init; }

    /// <summary>Throws when a value is out of range, so a bad setting stops the start.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Database);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBodyBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPixels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(QueueLimit);
        ArgumentOutOfRangeException.ThrowIfLessThan(RateLimitPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(RateLimitBurst, 1);
        if (AdminKey is not null && AdminKey.Length < Keys.ApiKeySecret.MinLength)
            throw new ArgumentException($"VISAGE_ADMIN_KEY must be at least {Keys.ApiKeySecret.MinLength} characters");
        foreach (var origin in CorsOrigins)
            if (!Uri.TryCreate(origin, UriKind.Absolute, out _)) throw new ArgumentException($"CORS origin '{origin}' is not an absolute URL");
        Analyzer.Validate();
        Matching.Validate();
        SightingRetention.Validate();
        ChangeLog.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(ErasureDelay, TimeSpan.Zero, nameof(ErasureDelay));
        Frigate?.Validate();
    }
}
