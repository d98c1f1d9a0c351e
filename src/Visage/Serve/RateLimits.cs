using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Visage.Gallery.Storage;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary>
/// A token bucket per API key; over it, 429 with <c>Retry-After</c>. On a PostgreSQL gallery the bucket is shared by
/// every replica (<see cref="SharedTokenBucket"/>): one limit per key for the whole service. On SQLite (one process)
/// it is ASP.NET Core's in-memory token bucket.
/// </summary>
public static class RateLimits
{
    /// <summary>The policy name the API groups require.</summary>
    public const string PerKey = "per-key";

    public static void AddTo(IServiceCollection services, ServiceOptions options)
    {
        var shared = GalleryStores.IsPostgres(options.Database);
        if (shared) services.AddSingleton(_ => new RateBuckets(options.Database));
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PerKey, context =>
            {
                var key = context.User.FindFirst(ApiKeyAuthentication.KeyIdClaim)?.Value;
                return shared && key is not null
                    ? RateLimitPartition.Get(key, k => new SharedTokenBucket(k, context.RequestServices.GetRequiredService<RateBuckets>(), options, Local(options)))
                    : RateLimitPartition.Get(key ?? "anonymous", _ => Local(options));
            });
            limiter.OnRejected = async (rejected, cancel) =>
            {
                var http = rejected.HttpContext;
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromSeconds(1);
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Detail = $"This API key made more than {options.RateLimitBurst} requests at once or {options.RateLimitPerSecond} per second.",
                    },
                });
            };
        });
    }

    /// <summary>This process's own bucket for a key.</summary>
    private static TokenBucketRateLimiter Local(ServiceOptions options) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = options.RateLimitBurst,
        TokensPerPeriod = options.RateLimitPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
}
