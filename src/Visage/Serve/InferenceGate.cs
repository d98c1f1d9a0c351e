using System.Threading.RateLimiting;

namespace Visage.Serve;

/// <summary>
/// Bounds the images analyzed at once (decode and networks) and the requests waiting for a turn, so a burst costs a
/// fixed amount of memory: beyond the queue a request is refused at once with 503 and <c>Retry-After</c>. Within its
/// turn an image also waits until its pixels fit in <see cref="ServiceOptions.MaxPixels"/> pixels in flight: memory
/// grows with pixels (3 bytes each decoded, more for the detection views), not with requests, so two photos at the
/// pixel limit are analyzed one after the other while small ones go side by side.
/// </summary>
public sealed class InferenceGate(ServiceOptions options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.MaxConcurrency,
        QueueLimit = options.QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    // One permit per pixel; only the requests holding a turn wait here, so the queue needs no bound of its own.
    private readonly ConcurrencyLimiter _pixels = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = PixelBudget(options),
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private long _rejected;

    /// <summary>Requests refused because the queue was full.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Analyses running now.</summary>
    public long Running => options.MaxConcurrency - (_limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);

    /// <summary>Requests waiting now.</summary>
    public long Waiting => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>
    /// Runs <paramref name="work"/> on an image of <paramref name="pixels"/> pixels when a slot is free and its pixels
    /// fit (on a pool thread: the networks are CPU-bound).
    /// </summary>
    /// <exception cref="ProblemException">503: every slot is busy and the queue is full.</exception>
    public async Task<T> RunAsync<T>(long pixels, Func<T> work, CancellationToken cancel)
    {
        using var lease = await _limiter.AcquireAsync(1, cancel);
        if (!lease.IsAcquired)
        {
            Interlocked.Increment(ref _rejected);
            throw ProblemException.Unavailable(
                $"The service is busy: {options.MaxConcurrency} image(s) are being analyzed and {options.QueueLimit} wait. Try again shortly.",
                TimeSpan.FromSeconds(1));
        }
        // An image over the limit takes the whole budget: its decode stops at the header anyway (413).
        var room = await _pixels.AcquireAsync((int)Math.Clamp(pixels, 1, PixelBudget(options)), cancel);
        try
        {
            return await Task.Run(work, cancel);
        }
        finally
        {
            // A large photo's pixels are garbage now: collected (and given back) before its pixels are released, so
            // the next large photo does not find them still held; the answer does not wait for it. Measured in the
            // HTTP fuzz run: the peaks came at decompression bombs decoded while the last one's 120 MB was uncollected.
            if (pixels >= LargePhotoPixels)
                _ = Task.Run(() =>
                {
                    MemoryBudget.ReturnFreedMemory();
                    room.Dispose();
                });
            else room.Dispose();
        }
    }

    /// <summary>Photos of this many pixels and more (24 MB decoded) are followed by a collection (see <see cref="MemoryBudget"/>).</summary>
    public const long LargePhotoPixels = 8_000_000;

    public void Dispose()
    {
        _limiter.Dispose();
        _pixels.Dispose();
    }

    private static int PixelBudget(ServiceOptions options) => (int)Math.Min(options.MaxPixels, int.MaxValue);
}
