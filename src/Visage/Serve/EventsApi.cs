using System.Text;
using Visage.Serve.Cameras;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary><c>GET /api/v1/events</c>: every camera's events as they happen, as Server-Sent Events (recognition key).</summary>
public static class EventsApi
{
    /// <summary>A comment line is sent this often when nothing happens, so proxies keep the connection open.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void MapEvents(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events").WithTags("Cameras").Secured(ApiKeyAuthentication.RecognizePolicy);
        api.MapGet("", Stream).WithName("Events")
            .WithSummary("Camera events (appeared, identified, left) as Server-Sent Events: 'event:' is the kind, 'data:' one JSON object; ?camera=NAME for one camera")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
    }

    public static async Task Stream(HttpContext context, EventHub hub, string? camera = null)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass events through at once
        var stop = context.RequestAborted;
        await response.WriteAsync(": connected\n\n", stop);
        await response.Body.FlushAsync(stop);
        using var keepAlive = new PeriodicTimer(KeepAlive);
        var events = hub.Listen(stop).GetAsyncEnumerator(stop);
        var next = events.MoveNextAsync().AsTask();
        try
        {
            var tick = keepAlive.WaitForNextTickAsync(stop).AsTask();
            while (true)
            {
                if (await Task.WhenAny(next, tick) == tick)
                {
                    if (!await tick) break;
                    await response.WriteAsync(": keep-alive\n\n", stop);
                    await response.Body.FlushAsync(stop);
                    tick = keepAlive.WaitForNextTickAsync(stop).AsTask();
                    continue;
                }
                if (!await next) break;
                var e = events.Current;
                if (camera is null || e.Camera == camera)
                {
                    await response.WriteAsync(new StringBuilder("event: ").Append(e.Name).Append("\ndata: ").Append(e.Json).Append("\n\n").ToString(), stop);
                    await response.Body.FlushAsync(stop);
                }
                next = events.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            // The pending read ends with the request's cancellation; the reader is disposed only after it.
            try { await next; }
            catch (OperationCanceledException) { }
            await events.DisposeAsync();
        }
    }
}
