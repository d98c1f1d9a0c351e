using Visage.Faces;

namespace Visage.Sightings;

/// <summary>
/// One appearance of a face before a camera or an NVR: where and when, who it was (or unknown), and the best face seen
/// (its box, descriptor and thumbnail), so that it can be enrolled or rejected later.
/// </summary>
/// <param name="Id">Store-assigned id, never reused.</param>
/// <param name="Camera">The camera that saw it.</param>
/// <param name="Source">What reported it: <c>frigate</c>, <c>camera</c> (a watched stream), <c>api</c>.</param>
/// <param name="EventId">The source's own id of the appearance (a Frigate event id), or null.</param>
/// <param name="StartUtc">First seen (UTC).</param>
/// <param name="EndUtc">Last seen (UTC).</param>
/// <param name="PersonId">Who it was, or null for unknown (a stranger, or a name removed by a rejection).</param>
/// <param name="PersonName">Their name as it is now, or null.</param>
/// <param name="Confidence">How sure the decision was, 0..1 (0.5 at the decision threshold), or null for none.</param>
/// <param name="Distance">The distance to the best candidate, or null when the gallery was empty.</param>
/// <param name="Face">The best face: box and detector score in the source image's pixels, and the descriptor.</param>
/// <param name="ImageSha256">SHA-256 of the image the best face came from.</param>
public sealed record Sighting(
    long Id,
    string Camera,
    string Source,
    string? EventId,
    DateTime StartUtc,
    DateTime EndUtc,
    long? PersonId,
    string? PersonName,
    float? Confidence,
    float? Distance,
    Face Face,
    string ImageSha256)
{
    /// <summary>True when nobody was named.</summary>
    public bool IsUnknown => PersonId is null;
}

/// <summary>An appearance to store (see <see cref="SightingStore.Record"/>).</summary>
/// <param name="Camera">The camera that saw it.</param>
/// <param name="Source">What reported it (<c>frigate</c>, <c>camera</c>, <c>api</c>).</param>
/// <param name="EventId">The source's id of the appearance: later reports of the same event and person extend one sighting.</param>
/// <param name="AtUtc">When this face was seen (UTC).</param>
/// <param name="PersonId">Who it was, or null for unknown.</param>
/// <param name="Confidence">How sure the decision was (0..1), or null.</param>
/// <param name="Distance">Distance to the best candidate, or null.</param>
/// <param name="Face">The face, with its descriptor.</param>
/// <param name="ImageSha256">SHA-256 of the image the face came from.</param>
/// <param name="Thumbnail">A small JPEG of the face, or null.</param>
public sealed record NewSighting(
    string Camera,
    string Source,
    string? EventId,
    DateTime AtUtc,
    long? PersonId,
    float? Confidence,
    float? Distance,
    Face Face,
    string ImageSha256,
    byte[]? Thumbnail);

/// <summary>Which sightings to list (all filters optional; newest first).</summary>
/// <param name="Camera">Only this camera's.</param>
/// <param name="PersonId">Only those naming this person.</param>
/// <param name="Unknown">True: only unknown faces; false: only named ones; null: both.</param>
/// <param name="SinceUtc">Only those last seen at or after this time.</param>
/// <param name="BeforeId">Only those with a smaller id (the next page after the last id read).</param>
/// <param name="Limit">The most returned (1 to 1000).</param>
public sealed record SightingQuery(
    string? Camera = null,
    long? PersonId = null,
    bool? Unknown = null,
    DateTime? SinceUtc = null,
    long? BeforeId = null,
    int Limit = 100);

/// <summary>How long sightings are kept: the oldest go first once either limit is passed.</summary>
/// <param name="Days">Sightings last seen longer ago than this many days are deleted (default 30).</param>
/// <param name="MaxCount">At most this many sightings are kept (default 100,000).</param>
public sealed record SightingRetention(int Days = 30, int MaxCount = 100_000)
{
    /// <summary>Throws when a limit is not positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Days, 1, nameof(Days));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCount, 1, nameof(MaxCount));
    }
}
