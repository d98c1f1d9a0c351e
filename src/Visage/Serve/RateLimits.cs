using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary>A token bucket per API key (ASP.NET Core's rate limiter); over it, 429 with <c>Retry-After</c>.</summary>
public static class RateLimits
{
    /// <summary>The policy name the API groups require.</summary>
    public const string PerKey = "per-key";

    public static void AddTo(IServiceCollection services, ServiceOptions options) => services.AddRateLimiter(limiter =>
    {
        limiter.AddPolicy(PerKey, context => RateLimitPartition.GetTokenBucketLimiter(
            context.User.FindFirst(ApiKeyAuthentication.KeyIdClaim)?.Value ?? "anonymous",
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.RateLimitBurst,
                TokensPerPeriod = options.RateLimitPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
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
