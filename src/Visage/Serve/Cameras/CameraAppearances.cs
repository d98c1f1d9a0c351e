using Visage.Gallery.Storage;
using Visage.Sightings;
using Visage.Video.Watching;

namespace Visage.Serve.Cameras;

/// <summary>
/// Where every camera's finished appearances go: stored as sightings (the same store as the Frigate bridge's, so the
/// "this is X" and "that was not me" feedback and the unknown clusters cover cameras too), and kept in memory for the
/// page's recent list. An appearance that cannot be stored while the database is down is logged and still listed.
/// </summary>
public sealed class CameraAppearances(GalleryHost galleries, InMemoryAppearanceSink recent, ILogger<CameraAppearances> log) : IAppearanceSink
{
    /// <summary>The sightings' source for camera appearances.</summary>
    public const string Source = "camera";

    /// <inheritdoc />
    public void Add(Appearance appearance)
    {
        recent.Add(appearance);
        // A sighting keeps a descriptor (enrolling it later needs one): the best face's, else the track's first.
        if ((appearance.BestFace.Embedding ?? appearance.Descriptors.FirstOrDefault()) is not { } descriptor) return;
        var decision = appearance.Decision;
        var sighting = new NewSighting(
            appearance.Camera, Source, $"{appearance.Camera}:{appearance.Left.Track}:{appearance.Start.Index}",
            appearance.End.Utc?.UtcDateTime ?? DateTime.UtcNow, decision.PersonId,
            decision.IsKnown ? (float)decision.Confidence : null, decision.Distance is { } d ? (float)d : null,
            appearance.BestFace with { Embedding = descriptor }, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(appearance.Thumbnail)), appearance.Thumbnail);
        try
        {
            galleries.Sightings((_, store) => store.Record(sighting));
        }
        catch (GalleryException e) when (e is GalleryUnavailableException or PersonNotFoundException)
        {
            log.LogWarning("Camera {Camera}: an appearance was not stored as a sighting: {Message}", appearance.Camera, e.Message);
        }
    }
}
