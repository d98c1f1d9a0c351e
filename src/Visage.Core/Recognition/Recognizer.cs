using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Search;
using Visage.Gallery.Storage;
using Visage.Imaging;
using Visage.Matching;
using Visage.Pipeline;

namespace Visage.Recognition;

/// <summary>
/// The verbs every caller uses (the CLI, the HTTP API, camera watchers, the NVR-compatible APIs): who is in a photo,
/// who one face is, are two faces the same person. The decision is made here, with <see cref="MatchDecision"/>'s rules
/// on what the gallery's search found; callers parse, call and map.
/// </summary>
public static class Recognizer
{
    /// <summary>Every face of a photo (at most <paramref name="maxFaces"/>, best detection first), each with who it is.</summary>
    /// <param name="analyzer">The pipeline; its model id must be the gallery's.</param>
    /// <param name="photo">The photo.</param>
    /// <param name="gallery">Whom to recognize.</param>
    /// <param name="options">Rule, threshold and metric (default <see cref="MatchingOptions.Default"/>).</param>
    /// <param name="maxFaces">The most faces answered.</param>
    /// <exception cref="ArgumentException">The analyzer and the gallery are of different models.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static RecognizedPhoto Recognize(FaceAnalyzer analyzer, RgbImage photo, FaceGallery gallery, MatchingOptions? options = null, int maxFaces = int.MaxValue) =>
        Recognize(analyzer.Analyze(photo), gallery, options, maxFaces);

    /// <summary>The faces of an analysis (at most <paramref name="maxFaces"/>), each with who it is.</summary>
    /// <exception cref="ArgumentException">A face has no embedding, or one of another model than the gallery's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static RecognizedPhoto Recognize(Analysis analysis, FaceGallery gallery, MatchingOptions? options = null, int maxFaces = int.MaxValue)
    {
        options ??= MatchingOptions.Default;
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFaces, 1);
        var timings = new StageTimings();
        timings.Add(analysis.Timings);
        var faces = timings.Measure("match", () => analysis.Faces.Take(maxFaces)
            .Select(f => new RecognizedFace(f, Identify(gallery, f.Embedding ?? throw new ArgumentException("a face has no embedding to recognize", nameof(analysis)), options)))
            .ToList());
        return new RecognizedPhoto(faces, options, timings);
    }

    /// <summary>
    /// Who one face is: an enrolled person, or unknown (answered from memory, without I/O). The gallery's rejections
    /// take part (<see cref="RejectionVeto"/>): a person a rejection vetoes for this face is never the answer.
    /// </summary>
    /// <exception cref="ArgumentException">The embedding comes from another model than the gallery's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static Match Identify(FaceGallery gallery, FaceEmbedding embedding, MatchingOptions? options = null)
    {
        options ??= MatchingOptions.Default;
        var match = Identify(gallery.Index, embedding, options);
        return RejectionVeto.Apply(gallery.Index, gallery.Rejections, embedding.Vector, options, match);
    }

    /// <summary>
    /// One decision from several descriptors of the same face (a burst of webcam frames, a camera track's best frames):
    /// their mean, decided once. Same-person descriptors scatter around the person's point, so their mean lies nearer
    /// to it than most of them, while one unlucky frame cannot name a stranger on its own.
    /// </summary>
    /// <exception cref="ArgumentException">No descriptor, or one of another model than the gallery's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static Match Identify(FaceGallery gallery, IReadOnlyList<FaceEmbedding> descriptors, MatchingOptions? options = null)
    {
        if (descriptors.Count == 0) throw new ArgumentException("no descriptor to decide from", nameof(descriptors));
        var mean = new float[FaceEmbedding.Dimensions];
        foreach (var d in descriptors)
        {
            if (d.ModelId != gallery.ModelId)
                throw new ArgumentException($"a descriptor comes from model '{d.ModelId}', the gallery holds model '{gallery.ModelId}'", nameof(descriptors));
            System.Numerics.Tensors.TensorPrimitives.Add(mean, d.Vector, mean);
        }
        System.Numerics.Tensors.TensorPrimitives.Divide(mean, descriptors.Count, mean);
        return Identify(gallery.Index, mean, options);
    }

    /// <summary>Who one face is, searched in an index of its model.</summary>
    /// <exception cref="ArgumentException">The embedding comes from another model than the index's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static Match Identify(GalleryIndex index, FaceEmbedding embedding, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (embedding.ModelId != index.ModelId)
            throw new ArgumentException($"the query comes from model '{embedding.ModelId}', the gallery holds model '{index.ModelId}'", nameof(embedding));
        return Identify(index, embedding.Vector, options);
    }

    /// <summary>Who a descriptor of the index's model is (the decision of the other overloads, for callers that hold raw vectors).</summary>
    /// <exception cref="ArgumentException">The query is not 128 long.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static Match Identify(GalleryIndex index, ReadOnlySpan<float> query, MatchingOptions? options = null)
    {
        options ??= MatchingOptions.Default;
        options.Validate();
        if (options.Mode == MatchMode.Centroid) return MatchDecision.Centroid(index.NearestPerson(query, options.Metric), options);
        var neighbors = new Neighbor[options.Mode == MatchMode.Knn ? options.K : 1];
        var found = index.Nearest(query, options.Metric, neighbors);
        return options.Mode == MatchMode.Knn
            ? MatchDecision.Knn(neighbors.AsSpan(0, found), options)
            : MatchDecision.Nearest(neighbors.AsSpan(0, found), options);
    }

    /// <summary>
    /// The persons nearest to one face, nearest first, each with the distance to their nearest face: the candidates a
    /// client that ranks names itself reads (CompreFace's <c>prediction_count</c> subjects). Not a decision (a stranger
    /// has candidates too, at large distances), but persons a rejection vetoes for this face
    /// (<see cref="RejectionVeto"/>) are never among them. Searched among the nearest faces, so a person is listed
    /// through their nearest face.
    /// </summary>
    /// <exception cref="ArgumentException">The embedding comes from another model than the gallery's.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static IReadOnlyList<PersonDistance> Candidates(FaceGallery gallery, FaceEmbedding embedding, int count, DistanceMetric metric = DistanceMetric.Euclidean)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (embedding.ModelId != gallery.ModelId)
            throw new ArgumentException($"the query comes from model '{embedding.ModelId}', the gallery holds model '{gallery.ModelId}'", nameof(embedding));
        var neighbors = new Neighbor[Math.Min(count * 8 + RejectionVeto.Widening, Math.Max(1, gallery.Index.Count))];
        var found = gallery.Index.Nearest(embedding.Vector, metric, neighbors);
        var persons = new List<PersonDistance>(count);
        var seen = new HashSet<long>();
        foreach (var n in neighbors.AsSpan(0, found))
        {
            if (!seen.Add(n.PersonId) || RejectionVeto.Vetoes(gallery.Index, gallery.Rejections, n.PersonId, embedding.Vector, metric)) continue;
            persons.Add(new PersonDistance(n.PersonId, n.PersonName, n.Distance));
            if (persons.Count == count) break;
        }
        return persons;
    }

    /// <summary>
    /// Are two faces the same person? Euclidean distance against <paramref name="threshold"/>, by default the one
    /// calibrated for verification (<see cref="ThresholdUse.Verification"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The two descriptors are of different models.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is negative or not a number.</exception>
    public static Verification Verify(FaceEmbedding a, FaceEmbedding b, float? threshold = null) =>
        Decide(FaceDistance.Compute(a, b), threshold, null, null);

    /// <summary>
    /// Is the face this enrolled person? The distance to the nearest of the person's faces (as the nearest-face rule
    /// decides) against <paramref name="threshold"/> (default: calibrated for verification); a rejection that vetoes
    /// the person for this face (<see cref="RejectionVeto"/>) makes the answer "not the same".
    /// </summary>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    /// <exception cref="PersonNotEnrolledException">The person has no face of the gallery's model.</exception>
    /// <exception cref="ArgumentException">The embedding comes from another model than the gallery's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is negative or not a number.</exception>
    public static Verification Verify(FaceEmbedding face, long personId, FaceGallery gallery, float? threshold = null)
    {
        if (face.ModelId != gallery.ModelId)
            throw new ArgumentException($"the face comes from model '{face.ModelId}', the gallery holds model '{gallery.ModelId}'", nameof(face));
        var person = gallery.GetPerson(personId) ?? throw new PersonNotFoundException(personId);
        var nearest = gallery.Index.DistanceToPerson(personId, face.Vector, DistanceMetric.Euclidean)
            ?? throw new PersonNotEnrolledException(person.Id, person.Name, gallery.ModelId);
        var verification = Decide(nearest.Distance, threshold, person.Id, person.Name);
        // A face rejected for this person ("that was not me"), or one nearer to such a face than to theirs, is not them.
        return verification.Same && RejectionVeto.Vetoes(gallery.Index, gallery.Rejections, personId, face.Vector, DistanceMetric.Euclidean)
            ? verification with { Same = false, Vetoed = true }
            : verification;
    }

    private static Verification Decide(float distance, float? threshold, long? personId, string? name)
    {
        var calibration = ThresholdCalibration.For(DistanceMetric.Euclidean, ThresholdUse.Verification);
        var limit = threshold ?? calibration.Threshold;
        if (!(limit >= 0)) throw new ArgumentOutOfRangeException(nameof(threshold), limit, "the threshold must be a non-negative number");
        var source = threshold is null ? calibration.Describe() : $"{limit:0.###} (euclidean, set by the caller)";
        return new Verification(distance, limit, distance < limit, source, personId, name);
    }
}
