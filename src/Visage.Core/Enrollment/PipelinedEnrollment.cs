using System.Threading.Channels;
using Visage.Faces;
using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Enrollment;

/// <summary>One photo of a bulk enrollment and what became of it.</summary>
/// <param name="Path">The photo.</param>
/// <param name="Person">Whose photo it is.</param>
/// <param name="Enrolled">The stored face, or null when the photo had no face, several rival faces, or failed.</param>
/// <param name="Error">Why the photo failed (unreadable, not an image, ...), or null.</param>
/// <param name="FacesFound">Faces found in the photo (0 for none; several and no enrollment: none is clearly the subject).</param>
public sealed record EnrollOutcome(string Path, string Person, EnrolledFace? Enrolled, Exception? Error, int FacesFound = 0);

/// <summary>
/// Enrolls many photos with three stages overlapping: the next photos are read and decoded on the thread pool
/// (<see cref="DecodeAhead"/>), the current one runs through the networks on the caller's thread, and the previous
/// ones are written to the gallery by a writer task (each write is its own committed transaction, so the disk's flush
/// no longer stalls the networks). Of each photo the subject is enrolled (<see cref="FaceAnalyzer.AnalyzeSubject"/>,
/// as <c>visage enroll</c> takes it) with its quality score (<see cref="EnrollmentQuality"/>); a photo with no face, or
/// with several faces none of which is clearly the subject, is skipped, never guessed, and one whose face is below the
/// quality bar fails with a <see cref="FaceQualityException"/> unless forced.
/// </summary>
public static class PipelinedEnrollment
{
    /// <summary>Enrolls <paramref name="photos"/> in order and returns one outcome per photo, in the same order.</summary>
    /// <param name="gallery">Where to enroll.</param>
    /// <param name="analyzer">The pipeline (of the gallery's model).</param>
    /// <param name="photos">The photos and whose they are.</param>
    /// <param name="decoder">The decoder (default settings when null).</param>
    /// <param name="force">Enroll faces below the quality bar too.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IReadOnlyList<EnrollOutcome> Run(FaceGallery gallery, FaceAnalyzer analyzer, IReadOnlyList<(string Path, string Person)> photos, ImageDecoder? decoder = null, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(photos);
        var outcomes = new EnrollOutcome[photos.Count];
        // Bounded: a slow disk holds back the networks instead of piling up faces in memory.
        var writes = Channel.CreateBounded<(int Index, string Sha256, Face Face, float Quality, int FacesFound)>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var (index, sha, face, quality, found) in writes.Reader.ReadAllAsync())
                {
                    var (path, person) = photos[index];
                    try { outcomes[index] = new(path, person, gallery.Enroll(gallery.GetOrCreatePerson(person).Id, sha, face, quality: quality), null, found); }
                    catch (Exception e) when (e is GalleryException or ArgumentException) { outcomes[index] = new(path, person, null, e, found); }
                }
            }
            catch (Exception e)
            {
                writes.Writer.TryComplete(e); // unblocks the producer; the exception surfaces below
                throw;
            }
        });
        try
        {
            var index = 0;
            foreach (var file in DecodeAhead.Files(photos.Select(p => p.Path).ToList(), decoder ?? new ImageDecoder()))
            {
                var i = index++;
                if (file.Image is null)
                {
                    outcomes[i] = new(file.Path, photos[i].Person, null, file.Error);
                    continue;
                }
                var subject = analyzer.AnalyzeSubject(file.Image);
                if (subject.Unambiguous is not { } face)
                {
                    outcomes[i] = new(file.Path, photos[i].Person, null, null, subject.FacesFound);
                    continue;
                }
                FaceQualityReport quality;
                try { quality = EnrollmentQuality.Require(file.Image, face, force); }
                catch (FaceQualityException e)
                {
                    outcomes[i] = new(file.Path, photos[i].Person, null, e, subject.FacesFound);
                    continue;
                }
                writes.Writer.WriteAsync((i, file.Sha256!, face, (float)quality.Score, subject.FacesFound)).AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            writes.Writer.TryComplete();
            writer.GetAwaiter().GetResult();
        }
        return outcomes;
    }
}
