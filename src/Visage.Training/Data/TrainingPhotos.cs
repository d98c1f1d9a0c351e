using Visage.Imaging;
using Visage.Pipeline;
using Visage.Training.Network;

namespace Visage.Training.Data;

/// <summary>The descriptors of a folder of people, one per photo: the face nearest the photo's center.</summary>
/// <param name="Data">One descriptor per usable photo, labeled with the index of its person in <paramref name="Names"/>.</param>
/// <param name="Names">Person names, by label.</param>
/// <param name="Photos">The photo behind each row of <paramref name="Data"/>.</param>
/// <param name="WithoutFace">Photos in which no face was found (left out).</param>
/// <param name="ModelId">The embedding space of the descriptors.</param>
public sealed record TrainingPhotos(LabeledVectors Data, IReadOnlyList<string> Names, IReadOnlyList<LabeledPhoto> Photos,
    IReadOnlyList<LabeledPhoto> WithoutFace, string ModelId)
{
    /// <summary>
    /// Describes every photo through <paramref name="analyze"/> (typically <see cref="FaceAnalysisCache.Analyze"/>, so
    /// each photo is looked at once across runs). Labeled photos show one person, but LFW-style crops may show part of
    /// a neighbor at an edge: the face nearest the center is the labeled one.
    /// </summary>
    /// <param name="photos">The photos (see <see cref="PhotoFolder.People"/>).</param>
    /// <param name="analyze">Analyzes one photo file.</param>
    /// <param name="modelId">The embedding space <paramref name="analyze"/> produces.</param>
    /// <param name="progress">Called after each photo.</param>
    public static TrainingPhotos Describe(IReadOnlyList<LabeledPhoto> photos, Func<string, PhotoAnalysis> analyze, string modelId, Action<LabeledPhoto>? progress = null)
    {
        var names = photos.Select(p => p.Person).Distinct().ToList();
        var labelOf = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        var vectors = new List<float>();
        var labels = new List<int>();
        var used = new List<LabeledPhoto>();
        var missed = new List<LabeledPhoto>();
        foreach (var photo in photos)
        {
            var subject = analyze(photo.Path).Subject();
            if (subject?.Embedding is { } embedding)
            {
                vectors.AddRange(embedding.Vector);
                labels.Add(labelOf[photo.Person]);
                used.Add(photo);
            }
            else missed.Add(photo);
            progress?.Invoke(photo);
        }
        return new TrainingPhotos(new LabeledVectors([.. vectors], [.. labels], HeadArchitecture.Dimensions), names, used, missed, modelId);
    }
}
