using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Visage.Serve.Telemetry;

/// <summary>
/// OpenTelemetry for <c>visage serve</c>: Visage's meter (<see cref="VisageMetrics"/>), ASP.NET Core's (requests,
/// Kestrel, rate limiting) and the runtime's (GC, thread pool, CPU), scraped as Prometheus text at <c>/metrics</c>;
/// with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a per-signal <c>OTEL_EXPORTER_OTLP_*_ENDPOINT</c>) set, the same
/// metrics and a trace per request (one span per pipeline stage, <see cref="PipelineTelemetry"/>) go there by OTLP,
/// configured by the standard <c>OTEL_*</c> variables (protocol, headers, <c>OTEL_SERVICE_NAME</c>).
/// </summary>
internal static class TelemetryRegistration
{
    public static void AddVisageTelemetry(this WebApplicationBuilder builder)
    {
        var meter = ServiceMeter.Next();
        builder.Services.AddSingleton(meter);
        builder.Services.AddSingleton<VisageMetrics>();
        var otlp = OtlpConfigured(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("visage"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(meter.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    // No cached scrape: a reading right after a request must show it (the tests and a watching operator alike).
                    .AddPrometheusExporter(p => p.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp) metrics.AddOtlpExporter();
            });
        // Spans cost only when something receives them: tracing is on when an OTLP endpoint is.
        if (otlp) telemetry.WithTracing(tracing => tracing.AddSource(PipelineTelemetry.SourceName).AddAspNetCoreInstrumentation().AddOtlpExporter());
    }

    /// <summary>
    /// <c>GET /metrics</c>: the exporter's own middleware, called from a route handler (rather than mapped as a bare
    /// request delegate) so the endpoint is described in the OpenAPI document like every other.
    /// </summary>
    public static void MapMetrics(this IEndpointRouteBuilder app)
    {
        // Instruments exist once their meter's owner does: made now, the gauges (gallery size, queue) read from the
        // first scrape on, not from the first request that happens to need the pipeline.
        _ = app.ServiceProvider.GetRequiredService<VisageMetrics>();
        var exporter = app.CreateApplicationBuilder().UseOpenTelemetryPrometheusScrapingEndpoint(_ => true).Build();
        app.MapGet("/metrics", (HttpContext http, CancellationToken _) => exporter(http))
            .WithTags("Operations").AllowAnonymous().WithName("Metrics")
            .WithSummary("Prometheus metrics: Visage's, ASP.NET Core's and the runtime's (text format 0.0.4)")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
    }

    private static bool OtlpConfigured(IConfiguration configuration) =>
        new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" }
            .Any(key => !string.IsNullOrWhiteSpace(configuration[key]));
}
