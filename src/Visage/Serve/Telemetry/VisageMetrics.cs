using System.Diagnostics.Metrics;
using Visage.Recognition;

namespace Visage.Serve.Telemetry;

/// <summary>
/// Visage's own instruments (<see cref="System.Diagnostics.Metrics"/>), exported by OpenTelemetry beside ASP.NET Core's
/// and the runtime's (<see cref="TelemetryRegistration"/>): Prometheus text at <c>/metrics</c>, OTLP when configured.
/// An instrument is one line in the constructor; the exporter derives the Prometheus name from the instrument's name
/// and unit (<c>visage.faces.detected</c> becomes <c>visage_faces_detected_total</c>, <c>visage.stage.duration</c> in
/// seconds <c>visage_stage_duration_seconds</c>). Every name is listed in docs/API.md, "Metrics".
/// </summary>
public sealed class VisageMetrics
{
    /// <summary>Histogram buckets for durations in seconds: from one small stage to a large group photo on a slow machine.</summary>
    public static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _facesDetected;
    private readonly Counter<long> _recognitions;
    private readonly Histogram<double> _stageDuration;

    /// <summary>Creates the instruments on this service's meter (<paramref name="name"/>); the gauges read the gate and the gallery when scraped.</summary>
    public VisageMetrics(IMeterFactory meters, ServiceMeter name, InferenceGate gate, GalleryHost gallery)
    {
        var meter = meters.Create(name.Name);
        _facesDetected = meter.CreateCounter<long>("visage.faces.detected", "{face}", "Faces found in request images, by route template.");
        _recognitions = meter.CreateCounter<long>("visage.recognitions", "{face}", "Faces decided against the gallery, by outcome (known, unknown).");
        _stageDuration = meter.CreateHistogram<double>("visage.stage.duration", "s", "Time per pipeline stage of one image (decode, detect, landmarks, align, embed, match).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        meter.CreateObservableGauge("visage.inference.running", () => gate.Running, "{image}", "Images being analyzed.");
        meter.CreateObservableGauge("visage.inference.waiting", () => gate.Waiting, "{request}", "Requests waiting for an analysis slot.");
        meter.CreateObservableCounter("visage.inference.rejected", () => gate.Rejected, "{request}", "Requests refused with 503 because the queue was full.");
        meter.CreateObservableGauge("visage.gallery.faces", () => Loaded(gallery, g => (long)g.Index.Count), "{face}", "Enrolled faces of the model in use (the in-memory index).");
        meter.CreateObservableGauge("visage.gallery.persons", () => Loaded(gallery, g => (long)g.Index.PersonCount), "{person}", "Persons with at least one face of the model in use.");
        meter.CreateObservableGauge("visage.gallery.change_seq", () => Loaded(gallery, g => g.SynchronizedTo), null, "The last change of the gallery's change log the index reflects.");
        meter.CreateObservableGauge("visage.gallery.listening", () => Loaded(gallery, _ => gallery.IsListening ? 1L : 0L), null, "1 while a PostgreSQL LISTEN connection follows other replicas' writes.");
    }

    /// <summary>Counts the faces an endpoint found, under its route template (so ids do not multiply series).</summary>
    public void FacesDetected(HttpContext context, int count) =>
        _facesDetected.Add(count, new KeyValuePair<string, object?>("route", Route(context)));

    /// <summary>Counts the decisions of a recognition (one per face, known or unknown) and records the match stage's time.</summary>
    public void Recognized(RecognizedPhoto photo)
    {
        foreach (var (stage, milliseconds) in photo.Timings.Stages)
            if (stage == "match") _stageDuration.Record(milliseconds / 1000, new KeyValuePair<string, object?>("stage", stage));
        foreach (var face in photo.Faces)
            _recognitions.Add(1, new KeyValuePair<string, object?>("outcome", face.Match.PersonId is null ? "unknown" : "known"));
    }

    /// <summary>Records how long each stage of one image took.</summary>
    public void StagesTimed(StageTimings timings)
    {
        foreach (var (stage, milliseconds) in timings.Stages)
            _stageDuration.Record(milliseconds / 1000, new KeyValuePair<string, object?>("stage", stage));
    }

    // Before the gallery is loaded its gauges report nothing rather than a misleading 0.
    private static IEnumerable<Measurement<long>> Loaded(GalleryHost host, Func<Gallery.FaceGallery, long> read) =>
        host.Loaded is { } g ? [new Measurement<long>(read(g))] : [];

    private static string Route(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } raw ? "/" + raw.TrimStart('/') : "unmatched";
}
