using System.Threading.RateLimiting;
using Npgsql;

namespace Visage.Serve;

/// <summary>
/// One API key's limit for the whole service: every token is taken from the key's row in <see cref="RateBuckets"/>, so
/// N replicas together admit what one would. While the database cannot be reached each replica limits the key alone
/// with <paramref name="fallback"/> (as before the limits were shared), and tries the database again after a second.
/// </summary>
public sealed class SharedTokenBucket(string key, RateBuckets buckets, ServiceOptions options, RateLimiter fallback) : RateLimiter
{
    private static readonly TimeSpan RetryDatabase = TimeSpan.FromSeconds(1);
    private long _databaseDownUntil; // Environment.TickCount64

    /// <inheritdoc />
    public override TimeSpan? IdleDuration => null; // one partition per key, kept: keys are few

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics() => fallback.GetStatistics();

    // Not answerable without the database: a failed attempt sends ASP.NET Core's middleware to AcquireAsync.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.NotYet;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount == 0 || Environment.TickCount64 < Interlocked.Read(ref _databaseDownUntil))
            return await fallback.AcquireAsync(permitCount, cancellationToken);
        try
        {
            var (admitted, retryAfter) = await buckets.TakeAsync(key, options.RateLimitBurst, options.RateLimitPerSecond, cancellationToken);
            return admitted ? Lease.Admitted : new Lease(false, retryAfter);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _databaseDownUntil, Environment.TickCount64 + (long)RetryDatabase.TotalMilliseconds);
            return await fallback.AcquireAsync(permitCount, cancellationToken);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) fallback.Dispose();
        base.Dispose(disposing);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Admitted = new(true, null);
        public static readonly Lease NotYet = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
