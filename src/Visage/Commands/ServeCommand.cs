using System.CommandLine;
using Visage.Cli;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Serve;
using Visage.Serve.Frigate;

namespace Visage.Commands;

/// <summary><c>visage serve</c>: the HTTP API and the webcam page.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, ';'-separated (port 0 picks a free port)",
            DefaultValueFactory = _ => ServiceOptions.DefaultUrls,
        };
        var gallery = new GalleryOption();
        var maxBody = new Option<int>("--max-body-mb") { Description = "Largest request body in MB (413 beyond)", DefaultValueFactory = _ => 20 };
        var concurrency = new Option<int>("--max-concurrency") { Description = "Images analyzed at once", DefaultValueFactory = _ => Environment.ProcessorCount };
        var queue = new Option<int>("--queue") { Description = "Requests that may wait for a turn (503 beyond)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var rate = new Option<int>("--rate-limit") { Description = "Requests per second per API key", DefaultValueFactory = _ => 20 };
        var burst = new Option<int>("--rate-burst") { Description = "Requests an API key may make at once before the rate applies", DefaultValueFactory = _ => 100 };
        var cors = new Option<string[]>("--cors-origin")
        {
            Description = "An origin allowed to call the API from its pages (CORS; repeatable; default: none)",
            AllowMultipleArgumentsPerToken = true,
        };
        var mqtt = new Option<string?>("--mqtt-url") { Description = "The Frigate bridge's MQTT broker, mqtt://user:pass@host:1883 (default: none, no bridge)" };
        var frigate = new Option<string?>("--frigate-url") { Description = "Frigate's HTTP address for the bridge, e.g. http://frigate:5000" };
        var cameras = new Option<string[]>("--frigate-camera")
        {
            Description = "Only this Frigate camera's events (repeatable; default: every camera)",
            AllowMultipleArgumentsPerToken = true,
        };
        var zones = new Option<string[]>("--frigate-zone")
        {
            Description = "Only events in this Frigate zone (repeatable; default: anywhere)",
            AllowMultipleArgumentsPerToken = true,
        };
        var days = new Option<int>("--sightings-days") { Description = "Sightings last seen longer ago are deleted", DefaultValueFactory = _ => new Sightings.SightingRetention().Days };
        var most = new Option<int>("--sightings-max") { Description = "At most this many sightings are kept (the oldest go)", DefaultValueFactory = _ => new Sightings.SightingRetention().MaxCount };
        var changeLog = new Option<double>("--change-log-minutes")
        {
            Description = "How long the change log keeps entries for a replica that fell behind; one away longer reloads the gallery (default: a day)",
            DefaultValueFactory = _ => new ChangeLogRetention().Window.TotalMinutes,
        };
        var erasureDelay = new Option<double>("--erasure-delay")
        {
            Description = "PostgreSQL: seconds erasures are gathered before a table is rewritten to make them final on disk",
            DefaultValueFactory = _ => 10,
        };
        var strictness = new Option<string?>("--strictness")
        {
            Description = "How sure a name must be: lenient (5% of strangers named), balanced (1%, the default) or strict (0.1%), or a rate such as 0.005 (default: $VISAGE_STRICTNESS)",
        };
        var verbose = new Option<bool>("--verbose") { Description = "Also log ASP.NET Core's own start-up and hosting lines (or set Logging__LogLevel__Default)" };
        var pipeline = new PipelineOptions();
        var command = new Command("serve", "Run the HTTP API and the webcam page (default http://localhost:5080). Every option can also be set as VISAGE_NAME (--max-body-mb: VISAGE_MAX_BODY_MB; repeatable ones plural, comma-separated) or in appsettings.json beside the executable (\"Visage\": {\"MaxBodyMb\": 20}); --urls also reads ASPNETCORE_URLS")
        {
            urls, maxBody, concurrency, queue, rate, burst, cors, mqtt, frigate, cameras, zones, days, most, changeLog, erasureDelay, strictness, verbose,
        };
        pipeline.AddTo(command);
        gallery.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            DataFolder.EnsureWritable(VisageHome.Directory); // first: the default gallery and the models live there
            // The service audits each request as its key's; its own writes (the Frigate bridge, retention) are nobody's.
            using var unaudited = AuditActor.Begin(null);
            var options = new ServiceOptions
            {
                Urls = r.GetValue(urls)!,
                Database = gallery.Location(r),
                Analyzer = pipeline.Analyzer(r),
                MaxPixels = r.GetValue(pipeline.MaxPixels),
                MaxBodyBytes = r.GetValue(maxBody) * 1024L * 1024,
                MaxConcurrency = r.GetValue(concurrency),
                QueueLimit = r.GetValue(queue),
                RateLimitPerSecond = r.GetValue(rate),
                RateLimitBurst = r.GetValue(burst),
                CorsOrigins = r.GetValue(cors) ?? [],
                AdminKey = Environment.GetEnvironmentVariable("VISAGE_ADMIN_KEY") is { Length: > 0 } key ? key : null,
                SightingRetention = new Sightings.SightingRetention(r.GetValue(days), r.GetValue(most)),
                ChangeLog = new ChangeLogRetention(TimeSpan.FromMinutes(r.GetValue(changeLog))),
                ErasureDelay = TimeSpan.FromSeconds(r.GetValue(erasureDelay)),
                Frigate = Bridge(r.GetValue(mqtt), r.GetValue(frigate), r.GetValue(cameras), r.GetValue(zones)),
                Matching = OperatingPoint.Options(r.GetValue(strictness) ?? Environment.GetEnvironmentVariable("VISAGE_STRICTNESS")),
                Verbose = r.GetValue(verbose),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliException(ExitCodes.Usage, e.Message.Split('\n')[0]);
            }
            var console = new StartupConsole(Console.Out);
            using var app = VisageService.Build(options, console);
            try
            {
                app.Start();
            }
            catch (IOException e)
            {
                console.Release(null); // an admin key made before the failure is still shown
                throw new CliException(ExitCodes.Failure, $"cannot listen on {options.Urls}: {e.Message}");
            }
            console.Release($"visage: listening on {string.Join(' ', app.Urls)} (page /, API page /api, OpenAPI /openapi/v1.json)");
            app.WaitForShutdown();
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The bridge's settings; null when no broker is named.</summary>
    private static FrigateOptions? Bridge(string? mqtt, string? frigate, string[]? cameras, string[]? zones) =>
        string.IsNullOrEmpty(mqtt) ? null : new FrigateOptions { MqttUrl = mqtt, FrigateUrl = frigate ?? "", Cameras = cameras ?? [], Zones = zones ?? [] };
}
