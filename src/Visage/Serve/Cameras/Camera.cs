using Visage.Video.Sources;

namespace Visage.Serve.Cameras;

/// <summary>A camera the service watches, as stored.</summary>
/// <param name="Id">Store-assigned id, never reused.</param>
/// <param name="Name">Unique name, in every event.</param>
/// <param name="Source">The stream; its <see cref="SourceUrl.ToString"/> is masked, the credentials stay inside for the reader.</param>
/// <param name="Fps">Frames per second processed.</param>
/// <param name="Detector">The detector run on frames (<c>tiny</c> or <c>ssd</c>).</param>
/// <param name="Webhook">URL each event is posted to, or null.</param>
/// <param name="CreatedUtc">When it was added.</param>
public sealed record Camera(long Id, string Name, SourceUrl Source, double Fps, string Detector, string? Webhook, DateTime CreatedUtc);
