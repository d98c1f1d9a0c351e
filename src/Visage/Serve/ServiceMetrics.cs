using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Visage.Serve;

/// <summary>
/// Request counts and latencies per endpoint and faces found, kept in memory and written in the Prometheus text
/// format (version 0.0.4) by <c>GET /metrics</c>, with the gallery's size and the inference queue read at scrape time.
/// </summary>
public sealed class ServiceMetrics
{
    // Latency buckets in seconds: from a cached static file to a large group photo on a slow machine.
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<(string Route, string Method, int Status), long[]> _requests = new();
    private readonly ConcurrentDictionary<(string Route, string Method), Histogram> _latency = new();
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
            _latency.GetOrAdd((route, context.Request.Method), _ => new Histogram()).Observe(seconds);
        }
    }

    /// <summary>Counts faces found by an endpoint.</summary>
    public void FacesDetected(HttpContext context, int count) =>
        Interlocked.Add(ref _faces.GetOrAdd(Route(context, context.GetEndpoint()), _ => new long[1])[0], count);

    /// <summary>The metrics as Prometheus text.</summary>
    public string Write(GalleryHost gallery, InferenceGate gate)
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
        return text.ToString();
    }

    private static string Route(HttpContext context, Endpoint? endpoint) =>
        (endpoint as RouteEndpoint)?.RoutePattern.RawText is { } raw ? "/" + raw.TrimStart('/')
        : context.Response.StatusCode == StatusCodes.Status404NotFound ? "unmatched" : "static";

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append(labels.Length > 0 ? "{" + labels + "}" : "").Append(' ')
            .Append(value.ToString("0.##########", CultureInfo.InvariantCulture)).Append('\n'); // plain decimals: 5E-06 is no sample a strict scraper reads

    private sealed class Histogram
    {
        private readonly long[] _counts = new long[Buckets.Length + 1]; // the last one is +Inf
        private long _sumMicroseconds;

        public void Observe(double seconds)
        {
            var i = 0;
            while (i < Buckets.Length && seconds > Buckets[i]) i++;
            Interlocked.Increment(ref _counts[i]);
            Interlocked.Add(ref _sumMicroseconds, (long)(seconds * 1e6));
        }

        public void Write(StringBuilder text, string name, string labels)
        {
            long cumulative = 0;
            for (var i = 0; i <= Buckets.Length; i++)
            {
                cumulative += Interlocked.Read(ref _counts[i]);
                var le = i < Buckets.Length ? Buckets[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
                Line(text, name + "_bucket", $"{labels},le=\"{le}\"", cumulative);
            }
            Line(text, name + "_sum", labels, Interlocked.Read(ref _sumMicroseconds) / 1e6);
            Line(text, name + "_count", labels, cumulative);
        }
    }
}
