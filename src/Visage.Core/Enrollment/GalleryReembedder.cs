using Visage.Embedding;
using Visage.Faces;
using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Enrollment;

/// <summary>What a re-embedding did.</summary>
/// <param name="TargetModelId">The model id the gallery now has vectors of.</param>
/// <param name="AlreadyCurrent">Enrolled images that already had a vector of the target model.</param>
/// <param name="FromVectors">Images given a vector from a stored one (no photo needed): a plain descriptor projected through the head, or a descriptor stored under an id that named its embedder's precision.</param>
/// <param name="FromPhotos">Images re-embedded from the photo, cutting the chip from the stored landmarks (or box).</param>
/// <param name="Missing">Images that could not be re-embedded: no usable stored vector and no photo with that hash (or no face there).</param>
/// <param name="Pruned">Faces of other model ids deleted (with <c>prune</c>).</param>
public sealed record ReembedReport(string TargetModelId, int AlreadyCurrent, int FromVectors, int FromPhotos, IReadOnlyList<MissingImage> Missing, int Pruned);

/// <summary>An enrolled image that could not be re-embedded.</summary>
/// <param name="PersonName">Whose face it is.</param>
/// <param name="ImageSha256">The image's hash.</param>
/// <param name="Reason">Why.</param>
public sealed record MissingImage(string PersonName, string ImageSha256, string Reason);

/// <summary>
/// Brings a gallery to an analyzer's model id (for example after training a new projection head) by adding, for
/// every enrolled image, a face with a vector of that model. A gallery keeps the image's hash, box and landmarks but
/// not the image, so each vector comes from one of two sources, in this order:
/// <list type="number">
/// <item>a stored vector of the analyzer's <see cref="FaceAnalyzer.BaseModelId"/>, projected through its head, or one
/// whose id still names its embedder's precision: exact and needs no photo (which is why enrolling keeps plain
/// descriptors is worth it);</item>
/// <item>the photo itself, found by SHA-256 among the files the caller supplies (a folder of the original photos):
/// the chip is cut from the stored landmarks, so no detection runs and the same face is embedded.</item>
/// </list>
/// Vectors of other model ids stay (the gallery matches one model id at a time and never mixes them) unless pruned.
/// </summary>
public sealed class GalleryReembedder(FaceAnalyzer analyzer, ImageDecoder decoder)
{
    private const int PageSize = 500;

    /// <summary>Re-embeds every enrolled image of <paramref name="store"/>.</summary>
    /// <param name="store">The gallery's store.</param>
    /// <param name="photosBySha256">Photo files by the SHA-256 of their bytes (may be empty).</param>
    /// <param name="prune">Delete faces of other model ids once an image has a vector of the target model.</param>
    /// <param name="progress">Called after each person.</param>
    public ReembedReport Run(IGalleryStore store, IReadOnlyDictionary<string, string> photosBySha256, bool prune, Action<Person>? progress = null)
    {
        var target = analyzer.ModelId;
        using var gallery = new FaceGallery(store, target, ownsStore: false);
        int current = 0, fromVectors = 0, fromPhotos = 0, pruned = 0;
        var missing = new List<MissingImage>();
        foreach (var person in AllPersons(store))
        {
            foreach (var image in store.ListFaces(person.Id).GroupBy(f => f.ImageSha256))
            {
                var faces = image.ToList();
                var done = faces.Any(f => f.Embedding.ModelId == target);
                if (done) current++;
                else if (FromStoredVector(faces) is { } projected)
                {
                    gallery.Enroll(person.Id, image.Key, projected);
                    fromVectors++;
                    done = true;
                }
                else if (photosBySha256.TryGetValue(image.Key, out var path))
                {
                    if (FromPhoto(faces[0], path) is { } embedded)
                    {
                        gallery.Enroll(person.Id, image.Key, embedded);
                        fromPhotos++;
                        done = true;
                    }
                    else missing.Add(new MissingImage(person.Name, image.Key, $"no face found again in {path}"));
                }
                else missing.Add(new MissingImage(person.Name, image.Key, "no stored plain descriptor and no photo with this hash"));

                if (!done || !prune) continue;
                foreach (var f in faces)
                    if (f.Embedding.ModelId != target && store.DeleteFace(f.Id)) pruned++;
            }
            progress?.Invoke(person);
        }
        return new ReembedReport(target, current, fromVectors, fromPhotos, missing, pruned);
    }

    /// <summary>
    /// A stored plain descriptor of the analyzer's space, projected through its head; or, written under an id that
    /// named its embedder's precision (<see cref="EmbeddingModel.WithoutVariant"/>), the same vector under today's id.
    /// </summary>
    private Face? FromStoredVector(IReadOnlyList<StoredFace> faces)
    {
        foreach (var f in faces)
        {
            var plain = f.Embedding.ModelId == analyzer.BaseModelId;
            if (!plain && EmbeddingModel.WithoutVariant(f.Embedding.ModelId) != analyzer.BaseModelId) continue;
            if (plain && analyzer.Options.Embedding.Head is null) continue; // the plain space: there is nothing to project
            var embedding = plain ? f.Embedding : new FaceEmbedding(f.Embedding.Vector, analyzer.BaseModelId);
            return analyzer.Project(new Face(f.Box, 1f, f.Landmarks, embedding));
        }
        return null;
    }

    private Face? FromPhoto(StoredFace stored, string path)
    {
        var image = decoder.DecodeFile(path);
        if (stored.Landmarks is not null)
            return analyzer.Embed(image, [new Face(stored.Box, 1f, stored.Landmarks)])[0];
        // No landmarks kept: find the face again, the detection overlapping the stored box most.
        var best = analyzer.Analyze(image, seekSubject: true).Faces.MaxBy(f => f.Box.IoU(stored.Box));
        return best is not null && best.Box.IoU(stored.Box) >= 0.5 ? best : null;
    }

    private static IEnumerable<Person> AllPersons(IGalleryStore store)
    {
        for (var offset = 0; ; offset += PageSize)
        {
            var page = store.ListPersons(offset, PageSize);
            foreach (var p in page) yield return p;
            if (page.Count < PageSize) yield break;
        }
    }
}
