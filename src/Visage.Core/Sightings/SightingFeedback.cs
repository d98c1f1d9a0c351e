using Visage.Gallery;
using Visage.Gallery.Storage;

namespace Visage.Sightings;

/// <summary>No sighting has that id (any more: retention may have deleted it).</summary>
public sealed class SightingNotFoundException(long sightingId) : GalleryException($"no sighting with id {sightingId}")
{
    /// <summary>The id asked for.</summary>
    public long SightingId { get; } = sightingId;
}

/// <summary>A sighting to reject names nobody: there is no name to take away.</summary>
public sealed class SightingUnnamedException(long sightingId)
    : GalleryException($"sighting {sightingId} names nobody: only a named sighting can be rejected")
{
    /// <summary>The sighting.</summary>
    public long SightingId { get; } = sightingId;
}

/// <summary>
/// The two ways a user teaches the gallery from what the cameras saw: "this is X" (<see cref="Enroll"/>: the
/// sighting's best face joins X's faces, so a stranger becomes a known person in one call) and "that was not me"
/// (<see cref="Reject"/>: the name is taken off the sighting and its face is kept as a rejection of that person, which
/// the decision respects from then on).
/// </summary>
public static class SightingFeedback
{
    /// <summary>Enrolls the sighting's best face as <paramref name="personId"/>'s and names the sighting so.</summary>
    /// <returns>The face enrolled (or already enrolled from the same image) and the sighting as updated.</returns>
    /// <exception cref="SightingNotFoundException">No such sighting.</exception>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    /// <exception cref="ArgumentException">The sighting's descriptor is of another model than the gallery's.</exception>
    public static (EnrolledFace Face, Sighting Sighting) Enroll(FaceGallery gallery, SightingStore sightings, long sightingId, long personId)
    {
        var sighting = sightings.Get(sightingId) ?? throw new SightingNotFoundException(sightingId);
        var enrolled = gallery.Enroll(personId, sighting.ImageSha256, sighting.Face, sightings.GetThumbnail(sightingId));
        var named = sightings.Assign(sightingId, personId) ?? throw new SightingNotFoundException(sightingId);
        return (enrolled, named);
    }

    /// <summary>
    /// "That was not me": keeps the sighting's descriptor as a rejection of the person it named, removes a face that
    /// was enrolled from this very sighting (same image and descriptor), and makes the sighting unknown.
    /// </summary>
    /// <returns>The rejection stored and the sighting as updated.</returns>
    /// <exception cref="SightingNotFoundException">No such sighting.</exception>
    /// <exception cref="SightingUnnamedException">The sighting names nobody.</exception>
    /// <exception cref="ArgumentException">The sighting's descriptor is of another model than the gallery's.</exception>
    public static (StoredRejection Rejection, Sighting Sighting) Reject(FaceGallery gallery, SightingStore sightings, long sightingId)
    {
        var sighting = sightings.Get(sightingId) ?? throw new SightingNotFoundException(sightingId);
        if (sighting.PersonId is not { } personId) throw new SightingUnnamedException(sightingId);
        var descriptor = sighting.Face.Embedding!;
        var rejection = gallery.Reject(personId, descriptor);
        // Enrolled from this sighting by mistake: the face itself goes, or it would outvote its own rejection.
        foreach (var face in gallery.ListFaces(personId))
            if (face.ImageSha256 == sighting.ImageSha256 && face.Embedding.ModelId == descriptor.ModelId && face.Embedding.Vector.AsSpan().SequenceEqual(descriptor.Vector))
                gallery.DeleteFace(face.Id);
        var cleared = sightings.ClearPerson(sightingId) ?? throw new SightingNotFoundException(sightingId);
        return (rejection, cleared);
    }
}
