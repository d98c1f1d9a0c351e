using System.Diagnostics.Metrics;
using Visage.Serve.Telemetry;

namespace Visage.Serve.Cameras;

/// <summary>
/// The cameras' instruments on Visage's meter, each sample labelled <c>camera</c> with the camera's name: frame and
/// appearance counters and the up gauge read the runners when scraped, the processing latency is recorded per frame.
/// Exported as <c>visage_camera_*</c> (docs/API.md, "Metrics and traces").
/// </summary>
public sealed class CameraMetrics
{
    private readonly Histogram<double> _latency;

    /// <summary>Creates the instruments; <paramref name="runners"/> lists the cameras being watched at each collection.</summary>
    public CameraMetrics(IMeterFactory meters, ServiceMeter name, Func<IReadOnlyList<CameraRunner>> runners)
    {
        var meter = meters.Create(name.Name);
        Counter("visage.camera.frames.decoded", "{frame}", "Frames decoded from the camera's source.", t => t.Decoded);
        Counter("visage.camera.frames.processed", "{frame}", "Frames detected, tracked and decided.", t => t.Processed);
        Counter("visage.camera.frames.dropped", "{frame}", "Frames decoded but dropped because processing was behind.", t => t.Dropped);
        Counter("visage.camera.reconnects", "{reconnect}", "Times the camera's stream was started again.", t => t.Reconnects);
        Counter("visage.camera.appearances", "{appearance}", "Appearances begun (appeared events).", t => t.Appeared);
        Counter("visage.camera.named", "{appearance}", "Appearances decided as an enrolled person.", t => t.Named);
        Counter("visage.camera.strangers", "{appearance}", "Appearances decided as a stranger.", t => t.Strangers);
        meter.CreateObservableGauge("visage.camera.up",
            () => runners().Select(r => new Measurement<int>(r.State == CameraState.Running ? 1 : 0, Label(r))), null,
            "1 while the camera's frames are being processed.");
        _latency = meter.CreateHistogram<double>("visage.camera.processing_latency", "s", "From a frame's arrival to the end of its processing.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = VisageMetrics.SecondsBuckets });

        void Counter(string name, string unit, string description, Func<CameraTotals, long> read) =>
            meter.CreateObservableCounter(name, () => runners().Select(r => new Measurement<long>(read(r.Totals), Label(r))), unit, description);
    }

    /// <summary>Records how long one frame of <paramref name="camera"/> took from its arrival to its decision.</summary>
    public void FrameProcessed(Camera camera, double seconds) =>
        _latency.Record(seconds, new KeyValuePair<string, object?>("camera", camera.Name));

    private static KeyValuePair<string, object?> Label(CameraRunner runner) => new("camera", runner.Camera.Name);
}
