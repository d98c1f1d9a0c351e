using Scalar.AspNetCore;
using Visage.Models;
using Visage.Serve.CompreFace;
using Visage.Serve.DeepStack;
using Visage.Serve.Telemetry;

namespace Visage.Serve;

/// <summary>The HTTP service: the API under <c>/api/v1</c>, health and metrics, the OpenAPI document and page, and the webcam page.</summary>
public static class VisageService
{
    /// <summary>Builds the app (not started); <paramref name="models"/> defaults to the model cache.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static WebApplication Build(ServiceOptions options, TextWriter console, ModelRepository? models = null)
    {
        options.Validate();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.AddVisage(options, console, models);

        var app = builder.Build();
        app.UseVisage(options);
        app.MapHealth();
        app.MapMetrics();
        app.MapAnalysis();
        app.MapPersons();
        app.MapFaces();
        app.MapKeys();
        app.MapCluster();
        app.MapCompreFace();
        app.MapDeepStack();
        app.MapSightings();
        app.MapGallery();
        app.MapAudit();
        app.MapCameras();
        app.MapEvents();
        app.MapOpenApi(); // /openapi/v1.json
        // The interactive page, served from the package (no CDN, default fonts off) and without its links to hosted services.
        app.MapScalarApiReference("/api", s => s.WithTitle("Visage API").DisableDefaultFonts().HideDeveloperTools().DisableAgent().DisableMcp());
        return app;
    }
}
