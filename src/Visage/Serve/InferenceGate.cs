using System.Threading.RateLimiting;

namespace Visage.Serve;

/// <summary>
/// Bounds the images analyzed at once (decode and networks) and the requests waiting for a turn, so a burst costs a
/// fixed amount of memory: beyond the queue a request is refused at once with 503 and <c>Retry-After</c>.
/// </summary>
public sealed class InferenceGate(ServiceOptions options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.MaxConcurrency,
        QueueLimit = options.QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private long _rejected;

    /// <summary>Requests refused because the queue was full.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Analyses running now.</summary>
    public long Running => options.MaxConcurrency - (_limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);

    /// <summary>Requests waiting now.</summary>
    public long Waiting => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>Runs <paramref name="work"/> when a slot is free (on a pool thread: the networks are CPU-bound).</summary>
    /// <exception cref="ProblemException">503: every slot is busy and the queue is full.</exception>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancel)
    {
        using var lease = await _limiter.AcquireAsync(1, cancel);
        if (!lease.IsAcquired)
        {
            Interlocked.Increment(ref _rejected);
            throw ProblemException.Unavailable(
                $"The service is busy: {options.MaxConcurrency} image(s) are being analyzed and {options.QueueLimit} wait. Try again shortly.",
                TimeSpan.FromSeconds(1));
        }
        return await Task.Run(work, cancel);
    }

    public void Dispose() => _limiter.Dispose();
}
