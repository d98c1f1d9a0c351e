using System.Security.Cryptography;
using Visage.Enrollment;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Imaging;

namespace Visage.Serve;

/// <summary>
/// The one enrollment path of the service's endpoints (/api/v1/persons/{id}/faces, CompreFace's add face, DeepStack's
/// register): the image's subject face (none or several rival faces refused), its quality checked
/// (<see cref="EnrollmentQuality"/>: a face below the bar is refused unless forced) and stored with it, a thumbnail of
/// it, the image's SHA-256, committed to the gallery before the answer. Enrolling the same image for the same person
/// again returns the face already stored.
/// </summary>
public sealed class FaceEnrollment(FacePipeline pipeline, GalleryHost galleries)
{
    /// <summary>Enrolls the subject face of <paramref name="upload"/> as <paramref name="personId"/>'s.</summary>
    /// <exception cref="PersonNotFoundException">No such person (checked before any inference).</exception>
    /// <exception cref="FaceCountException">No face, or several rival faces.</exception>
    /// <exception cref="FaceQualityException">The face is below the quality bar and <paramref name="force"/> is false.</exception>
    /// <exception cref="ImageDecodeException">The bytes are not a usable image.</exception>
    public async Task<EnrolledFace> EnrollAsync(HttpContext http, long personId, UploadedImage upload, bool force = false)
    {
        if (galleries.Read(g => g.GetPerson(personId)) is null) throw new PersonNotFoundException(personId);
        return await EnrollAsync(http, _ => personId, upload, force);
    }

    /// <summary>Enrolls the subject face of <paramref name="upload"/> as the person <paramref name="person"/> names once the face was found (made then, when missing).</summary>
    /// <exception cref="FaceCountException">No face, or several rival faces.</exception>
    /// <exception cref="FaceQualityException">The face is below the quality bar and <paramref name="force"/> is false.</exception>
    /// <exception cref="ImageDecodeException">The bytes are not a usable image.</exception>
    public async Task<EnrolledFace> EnrollAsync(HttpContext http, Func<FaceGallery, long> person, UploadedImage upload, bool force = false)
    {
        var (analyzed, face) = await pipeline.SingleFaceAsync(http, upload);
        var quality = EnrollmentQuality.Require(analyzed.Image, face, force);
        var thumbnail = FaceThumbnail.Jpeg(analyzed.Image, face.Box);
        var sha = Convert.ToHexStringLower(SHA256.HashData(upload.Bytes));
        // The store commits before Enroll returns: a 2xx is only sent for a durable enrollment.
        return galleries.Write(g => g.Enroll(person(g), sha, face, thumbnail, (float)quality.Score));
    }
}
