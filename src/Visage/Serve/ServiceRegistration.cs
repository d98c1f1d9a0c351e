using System.Text.Json.Serialization;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Visage.Imaging;
using Visage.Models;
using Visage.Pipeline;
using Visage.Serve.Cameras;
using Visage.Serve.Keys;
using Visage.Serve.Telemetry;
using Visage.Video.Watching;

namespace Visage.Serve;

/// <summary>What <c>visage serve</c> registers and how its request pipeline is ordered.</summary>
internal static class ServiceRegistration
{
    public static void AddVisage(this WebApplicationBuilder builder, ServiceOptions options, TextWriter console, ModelRepository? models)
    {
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // The framework's start-up lines and a line per request stay out of the way (/metrics counts requests); --verbose,
        // or any Logging__LogLevel__* setting (which then decides alone), brings them back.
        if (!options.Verbose && !builder.Configuration.GetSection("Logging:LogLevel").Exists())
        {
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("System", LogLevel.Warning);
            // The host's one Error is a start that failed (a port taken), which serve reports itself in one line; a
            // background service that crashes is still logged (Critical, with its exception).
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        }
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        var services = builder.Services;
        services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = options.MaxBodyBytes);
        services.Configure<RouteHandlerOptions>(r => r.ThrowOnBadRequest = true); // binding failures reach ProblemMapping, with their reason
        services.ConfigureHttpJsonOptions(j => j.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

        services.AddSingleton(options);
        // One set of model sessions for the request pipeline and the cameras' frame pipelines; disposed here only when made here.
        services.AddSingleton(_ => new ServiceModels(models));
        services.AddSingleton(sp => new FaceAnalyzer(options.Analyzer, sp.GetRequiredService<ServiceModels>().Repository));
        services.AddSingleton(new ImageDecoder(new ImagingOptions { MaxPixels = options.MaxPixels }));
        services.AddSingleton<InferenceGate>();
        builder.AddVisageTelemetry();
        services.AddSingleton<FacePipeline>();
        services.AddSingleton<FaceEnrollment>();
        services.AddSingleton(sp => new GalleryHost(options, sp.GetRequiredService<FaceAnalyzer>().ModelId, sp.GetRequiredService<ILogger<GalleryHost>>()));
        services.AddSingleton(sp => new ApiKeyRing(
            () =>
            {
                sp.GetRequiredService<GalleryHost>().EnsureDatabase(); // the gallery store creates or checks the database first
                return ApiKeyStore.Open(options.Database);
            },
            options.AdminKey, console, sp.GetRequiredService<ILogger<ApiKeyRing>>()));
        if (options.Frigate is { } frigate)
        {
            services.AddSingleton(frigate);
            services.AddSingleton<Frigate.FrigateClient>();
            services.AddSingleton<Frigate.FrigateEventProcessor>();
            services.AddSingleton<Frigate.FrigateBridge>();
            services.AddHostedService(sp => sp.GetRequiredService<Frigate.FrigateBridge>());
        }
        if (Gallery.Storage.GalleryStores.IsPostgres(options.Database)) services.AddHostedService<ErasureCompactor>();
        MemoryBudget.TuneNativeAllocator();
        services.AddHostedService<MemoryBudget>();
        services.AddSingleton(sp => new FrameAnalyzers(options.Analyzer, sp.GetRequiredService<ServiceModels>().Repository));
        services.AddSingleton<EventHub>();
        // Finished appearances: stored as sightings, and kept in memory for the page's recent list.
        services.AddSingleton(_ => new InMemoryAppearanceSink());
        services.AddSingleton<IAppearanceSink, Cameras.CameraAppearances>();
        services.AddSingleton<CameraHost>();
        services.AddHostedService(sp => sp.GetRequiredService<CameraHost>());
        services.AddSingleton<ModelWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelWarmup>());

        services.AddProblemDetails(p => p.CustomizeProblemDetails = c => c.ProblemDetails.Instance ??= c.HttpContext.Request.Path);
        services.AddExceptionHandler<ProblemMapping>();
        ApiKeyAuthentication.AddTo(services);
        RateLimits.AddTo(services, options);
        if (options.CorsOrigins.Count > 0)
        {
            services.AddCors(c => c.AddDefaultPolicy(p => p.WithOrigins([.. options.CorsOrigins])
                .WithHeaders(ApiKeyAuthentication.Header, "Content-Type")
                .WithMethods("GET", "POST", "PATCH", "DELETE")
                .WithExposedHeaders("Retry-After", "Location")));
        }
        services.AddOpenApi(o => o.AddDocumentTransformer<ApiKeyOpenApi>());
        KeepNoKeyRing(services);
    }

    /// <summary>
    /// Nothing is signed with ASP.NET Core's data protection (API keys are checked against the gallery's key table), so
    /// it gets the ephemeral provider and no key ring on disk. Its hosted service, which loads the file-backed key ring
    /// at start all the same (with a HOME, a container's, it writes a key to ~/.aspnet and warns that it is unencrypted),
    /// is taken out: last, because authentication registers data protection again.
    /// </summary>
    private static void KeepNoKeyRing(IServiceCollection services)
    {
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        foreach (var loader in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService").ToList())
            services.Remove(loader);
    }

    public static void UseVisage(this WebApplication app, ServiceOptions options)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // bodiless errors (404 route, 405, binding failures) become problems too
        app.UseDefaultFiles();
        app.UseStaticFiles();
        if (options.CorsOrigins.Count > 0) app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (http, next) => // the request's gallery writes are audited as its key's
        {
            using var actor = Gallery.Storage.AuditActor.Begin(ApiKeyAuthentication.ActorOf(http.User));
            await next(http);
        });
        app.UseRateLimiter();
    }
}
