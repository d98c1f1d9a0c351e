using System.Diagnostics;

namespace Visage;

/// <summary>
/// The trace source of the pipeline: every stage measured by <see cref="StageTimings.Measure{T}"/> (decode, detect,
/// landmarks, align, embed, match, ...) is one span, a child of whatever span is current (the HTTP request's in
/// <c>visage serve</c>). Nothing is recorded unless a listener (OpenTelemetry's tracer) subscribes to <see cref="SourceName"/>.
/// </summary>
public static class PipelineTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name to subscribe to.</summary>
    public const string SourceName = "Visage.Pipeline";

    internal static readonly ActivitySource Source = new(SourceName);
}
