using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Visage.Serve.Cameras;
using static Visage.Serve.PrometheusText;

namespace Visage.Serve;

/// <summary>
/// Request counts and latencies per endpoint and faces found, kept in memory and written in the Prometheus text
/// format (version 0.0.4) by <c>GET /metrics</c>, with the gallery's size and the inference queue read at scrape time.
/// </summary>
public sealed class ServiceMetrics
{
    private readonly ConcurrentDictionary<(string Route, string Method, int Status), long[]> _requests = new();
    private readonly ConcurrentDictionary<(string Route, string Method), LatencyHistogram> _latency = new();
    private readonly ConcurrentDictionary<string, long[]> _faces = new();

    /// <summary>Middleware: times every request and counts it under its route template (so ids do not multiply series).</summary>
    public async Task Record(HttpContext context, RequestDelegate next)
    {
        var start = Stopwatch.GetTimestamp();
        var endpoint = context.GetEndpoint(); // read now: the exception handler clears it
        try
        {
            await next(context);
        }
        finally
        {
            var route = Route(context, endpoint);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            Interlocked.Increment(ref _requests.GetOrAdd((route, context.Request.Method, context.Response.StatusCode), _ => new long[1])[0]);
            _latency.GetOrAdd((route, context.Request.Method), _ => new LatencyHistogram()).Observe(seconds);
        }
    }

    /// <summary>Counts faces found by an endpoint.</summary>
    public void FacesDetected(HttpContext context, int count) =>
        Interlocked.Add(ref _faces.GetOrAdd(Route(context, context.GetEndpoint()), _ => new long[1])[0], count);

    /// <summary>The metrics as Prometheus text.</summary>
    public string Write(GalleryHost gallery, InferenceGate gate, CameraHost? cameras = null)
    {
        var text = new StringBuilder();
        Header(text, "visage_http_requests_total", "counter", "HTTP requests by route template, method and status.");
        foreach (var ((route, method, status), count) in _requests.OrderBy(r => r.Key))
            Line(text, "visage_http_requests_total", $"route=\"{route}\",method=\"{method}\",status=\"{status}\"", Interlocked.Read(ref count[0]));

        Header(text, "visage_http_request_duration_seconds", "histogram", "HTTP request latency by route template and method.");
        foreach (var ((route, method), histogram) in _latency.OrderBy(r => r.Key))
            histogram.Write(text, "visage_http_request_duration_seconds", $"route=\"{route}\",method=\"{method}\"");

        Header(text, "visage_faces_detected_total", "counter", "Faces found in request images, by route template.");
        foreach (var (route, count) in _faces.OrderBy(f => f.Key))
            Line(text, "visage_faces_detected_total", $"route=\"{route}\"", Interlocked.Read(ref count[0]));

        if (gallery.Loaded is { } g)
        {
            Header(text, "visage_gallery_faces", "gauge", "Enrolled faces of the model in use (the in-memory index).");
            Line(text, "visage_gallery_faces", "", g.Index.Count);
            Header(text, "visage_gallery_persons", "gauge", "Persons with at least one face of the model in use.");
            Line(text, "visage_gallery_persons", "", g.Index.PersonCount);
            Header(text, "visage_gallery_change_seq", "gauge", "The last change of the gallery's change log the index reflects.");
            Line(text, "visage_gallery_change_seq", "", g.SynchronizedTo);
            Header(text, "visage_gallery_listening", "gauge", "1 while a PostgreSQL LISTEN connection follows other replicas' writes.");
            Line(text, "visage_gallery_listening", "", gallery.IsListening ? 1 : 0);
        }
        Header(text, "visage_inference_running", "gauge", "Images being analyzed.");
        Line(text, "visage_inference_running", "", gate.Running);
        Header(text, "visage_inference_waiting", "gauge", "Requests waiting for an analysis slot.");
        Line(text, "visage_inference_waiting", "", gate.Waiting);
        Header(text, "visage_inference_rejected_total", "counter", "Requests refused with 503 because the queue was full.");
        Line(text, "visage_inference_rejected_total", "", gate.Rejected);
        cameras?.WriteMetrics(text);
        return text.ToString();
    }

    private static string Route(HttpContext context, Endpoint? endpoint) =>
        (endpoint as RouteEndpoint)?.RoutePattern.RawText is { } raw ? "/" + raw.TrimStart('/')
        : context.Response.StatusCode == StatusCodes.Status404NotFound ? "unmatched" : "static";

}
