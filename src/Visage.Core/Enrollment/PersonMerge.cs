using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Storage;

namespace Visage.Enrollment;

/// <summary>Merging two persons: every face of one becomes the other's, then the first is deleted (CompreFace's rename onto a taken name).</summary>
public static class PersonMerge
{
    /// <summary>Moves every face of <paramref name="fromId"/> (with its descriptor, landmarks and thumbnail) to <paramref name="intoId"/>, then deletes <paramref name="fromId"/>.</summary>
    /// <returns>How many faces were moved.</returns>
    /// <exception cref="PersonNotFoundException">Either person does not exist.</exception>
    /// <exception cref="ArgumentException">The two ids are the same.</exception>
    public static int Merge(FaceGallery gallery, long fromId, long intoId)
    {
        if (fromId == intoId) throw new ArgumentException("a person cannot be merged into itself", nameof(intoId));
        if (gallery.GetPerson(intoId) is null) throw new PersonNotFoundException(intoId);
        if (gallery.GetPerson(fromId) is null) throw new PersonNotFoundException(fromId);
        var moved = 0;
        foreach (var face in gallery.ListFaces(fromId).Where(f => f.Embedding.ModelId == gallery.ModelId))
        {
            // Enrolled first, deleted with the person after: a failure midway loses no face.
            gallery.Enroll(intoId, face.ImageSha256, new Face(face.Box, 1, face.Landmarks, face.Embedding), gallery.GetThumbnail(face.Id));
            moved++;
        }
        gallery.DeletePerson(fromId);
        return moved;
    }
}
