using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Search;
using Visage.Gallery.Storage;
using Visage.Imaging;
using Visage.Matching;
using Visage.Matching.OpenSet;
using Visage.Pipeline;

namespace Visage.Recognition;

/// <summary>
/// The verbs every caller uses (the CLI, the HTTP API, camera watchers, the NVR-compatible APIs): who is in a photo,
/// who one face is, are two faces the same person. The decision is made here: by default the open-set rule
/// (<see cref="OpenSetRule"/>) on the nearest persons the gallery's index finds, or for experts one of
/// <see cref="MatchDecision"/>'s rules with a raw threshold; every answer carries the open-set model's confidence and
/// the nearest persons as candidates; the gallery's rejections apply last (<see cref="RejectionVeto"/>). Callers
/// parse, call and map.
/// </summary>
public static class Recognizer
{
    /// <summary>
    /// Persons searched per face (the nearest by their mean descriptor) when fewer candidates are asked for: the rule
    /// weighs them all; farther persons hardly move the confidence (their likelihood ratio is near 0).
    /// </summary>
    public const int SearchedPersons = 10;

    /// <summary>
    /// A face this near one enrolled face is that photo again (or a frame next to it) and is named as its person even
    /// when their mean lies beyond the open-set bar: a person enrolled with one unusual photo (a colour cast, decades
    /// apart) is still named on that photo. On ../shared/data/faces two different photos of one person lie 0.21 and
    /// more apart, two persons 0.46 and more (face-api.js's descriptors in ../shared/reference/faceapi-faces.json, the
    /// largest face of each photo): no stranger comes this near. Not applied when the caller set a raw threshold.
    /// </summary>
    public const float SamePhotoDistance = 0.2f;

    /// <summary>Every face of a photo (at most <paramref name="maxFaces"/>, best detection first), each with who it is.</summary>
    /// <param name="analyzer">The pipeline; its model id must be the gallery's.</param>
    /// <param name="photo">The photo.</param>
    /// <param name="gallery">Whom to recognize.</param>
    /// <param name="options">Rule, operating point, candidates (default <see cref="MatchingOptions.Default"/>).</param>
    /// <param name="maxFaces">The most faces answered.</param>
    /// <exception cref="ArgumentException">The analyzer and the gallery are of different models.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static RecognizedPhoto Recognize(FaceAnalyzer analyzer, RgbImage photo, FaceGallery gallery, MatchingOptions? options = null, int maxFaces = int.MaxValue) =>
        Recognize(analyzer.Analyze(photo), gallery, options, maxFaces);

    /// <summary>The faces of an analysis (at most <paramref name="maxFaces"/>), each with who it is.</summary>
    /// <exception cref="ArgumentException">A face has no embedding, or one of another model than the gallery's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static RecognizedPhoto Recognize(Analysis analysis, FaceGallery gallery, MatchingOptions? options = null, int maxFaces = int.MaxValue) =>
        Recognize([analysis], gallery, options, maxFaces);

    /// <summary>
    /// A burst: several frames of one camera taken a moment apart (oldest first, the same size), answered as the faces
    /// of the last frame (at most <paramref name="maxFaces"/>, best detection first), each decided once from its
    /// descriptors in every frame where it was found (<see cref="BurstAssociation"/>: by box overlap), as
    /// <see cref="Identify(FaceGallery, IReadOnlyList{FaceEmbedding}, MatchingOptions?)"/> decides several descriptors.
    /// One frame is a plain photo.
    /// </summary>
    /// <exception cref="ArgumentException">No frame, a face without an embedding, or one of another model than the gallery's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static RecognizedPhoto Recognize(IReadOnlyList<Analysis> burst, FaceGallery gallery, MatchingOptions? options = null, int maxFaces = int.MaxValue)
    {
        if (burst.Count == 0) throw new ArgumentException("no frame to recognize", nameof(burst));
        options ??= MatchingOptions.Default;
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFaces, 1);
        var timings = new StageTimings();
        foreach (var frame in burst) timings.Add(frame.Timings);
        var faces = timings.Measure("match", () => BurstAssociation.Chains(burst.Select(a => a.Faces).ToList(), maxFaces)
            .Select(chain => new RecognizedFace(chain[^1], Identify(gallery, chain.Select(EmbeddingOf).ToList(), options), chain.Count))
            .ToList());
        return new RecognizedPhoto(faces, options, timings);
    }

    /// <summary>
    /// Who one face is: an enrolled person, or unknown (answered from memory, without I/O), with the confidence and
    /// the nearest persons. The gallery's rejections take part (<see cref="RejectionVeto"/>): a person a rejection
    /// vetoes for this face is never the answer nor a candidate.
    /// </summary>
    /// <exception cref="ArgumentException">The embedding comes from another model than the gallery's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static Match Identify(FaceGallery gallery, FaceEmbedding embedding, MatchingOptions? options = null) =>
        Identify(gallery, [embedding], options);

    /// <summary>
    /// One decision from several descriptors of the same face (a burst of webcam frames, a camera track's best frames):
    /// their mean (<see cref="ProbeDescriptors.Average"/>), searched once and decided once, the gallery's rejections
    /// included. Same-person descriptors scatter around the person's point, so their mean lies nearer to it than most
    /// of them, while one unlucky frame cannot name a stranger on its own.
    /// </summary>
    /// <exception cref="ArgumentException">No descriptor, or one of another model than the gallery's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static Match Identify(FaceGallery gallery, IReadOnlyList<FaceEmbedding> descriptors, MatchingOptions? options = null)
    {
        if (descriptors.Count == 0) throw new ArgumentException("no descriptor to decide from", nameof(descriptors));
        foreach (var d in descriptors)
        {
            ArgumentNullException.ThrowIfNull(d, nameof(descriptors));
            if (d.ModelId != gallery.ModelId)
                throw new ArgumentException($"a descriptor comes from model '{d.ModelId}', the gallery holds model '{gallery.ModelId}'", nameof(descriptors));
        }
        var query = descriptors.Count == 1 ? descriptors[0].Vector : ProbeDescriptors.Average([.. descriptors.Select(d => d.Vector)]);
        return Decide(gallery.Index, gallery.Rejections, query, options);
    }

    /// <summary>Who one face is, searched in an index of its model (no rejections).</summary>
    /// <exception cref="ArgumentException">The embedding comes from another model than the index's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static Match Identify(GalleryIndex index, FaceEmbedding embedding, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (embedding.ModelId != index.ModelId)
            throw new ArgumentException($"the query comes from model '{embedding.ModelId}', the gallery holds model '{index.ModelId}'", nameof(embedding));
        return Identify(index, embedding.Vector, options);
    }

    /// <summary>Who a descriptor of the index's model is (the decision of the other overloads, for callers that hold raw vectors; no rejections).</summary>
    /// <exception cref="ArgumentException">The query is not 128 long.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static Match Identify(GalleryIndex index, ReadOnlySpan<float> query, MatchingOptions? options = null) =>
        Decide(index, null, query, options);

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

    /// <summary>
    /// The one decision path: the nearest persons weighed once by the open-set rule; the mode's rule decides (the
    /// open-set conclusion, or a raw threshold on faces or centroids); a vetoed person is taken out and the rule decides
    /// again; the confidence and the candidates (vetoed persons left out) come from the same weighing.
    /// </summary>
    private static Match Decide(GalleryIndex index, RejectionIndex? rejections, ReadOnlySpan<float> query, MatchingOptions? options)
    {
        options ??= MatchingOptions.Default;
        options.Validate();
        var listed = options.OpenSet.Candidates;
        var nearby = index.NearestPersons(query, Math.Max(SearchedPersons, listed + (rejections is { Count: > 0 } ? RejectionVeto.Widening : 0)));
        var rule = new OpenSetRule(options.Model, options.RuleOptions);
        var assessment = rule.Assess(nearby.Candidates, nearby.Statistics);
        var match = options.Mode switch
        {
            MatchMode.OpenSet => Conclude(rule.Conclude(assessment, options.OpenSet.TargetFalseAcceptRate), nearby),
            MatchMode.Centroid => MatchDecision.Centroid(index.NearestPerson(query, options.Metric), options),
            _ => NearestFaces(index, query, options),
        };
        if (match.Mode == MatchMode.OpenSet && !options.ThresholdIsSet && match.Reason == OpenSetReason.NoEnrolledFaceCloseEnough) // an expert's bar is the bar
            match = EnrolledPhotoAgain(index, query, match, nearby, assessment);
        if (rejections is not null)
            match = RejectionVeto.Apply(index, rejections, query, options, match,
                vetoed => Conclude(rule.Decide([.. nearby.Candidates.Where(c => !vetoed.Contains(c.PersonId))], nearby.Statistics), nearby));
        if (match.Mode != MatchMode.OpenSet) // a face rule decided: the confidence is the model's probability of its answer
            match = match with { Confidence = match.PersonId is { } named ? assessment.ProbabilityOf(named) : assessment.StrangerProbability };
        else if (match.PersonId is { } person) // the rule weighs means; the answer still says which enrolled face is nearest
            match = match with { FaceId = index.DistanceToPerson(person, query, DistanceMetric.Euclidean)?.FaceId };
        var candidates = new List<MatchCandidate>(Math.Min(listed, nearby.Candidates.Length));
        foreach (var c in assessment.Ranked(nearby.Candidates.Length))
        {
            if (candidates.Count == listed) break;
            if (rejections is not null && RejectionVeto.Vetoes(index, rejections, c.PersonId, query, DistanceMetric.Euclidean)) continue;
            candidates.Add(new MatchCandidate(c.PersonId, nearby.NameOf(c.PersonId)!, c.Distance, c.Confidence));
        }
        return match with { Candidates = candidates };
    }

    private static Match Conclude(OpenSetDecision d, NearbyPersons nearby) =>
        new(d.PersonId, d.PersonId is { } id ? nearby.NameOf(id) : null, d.Distance, MatchMode.OpenSet, DistanceMetric.Euclidean, d.Bar)
        {
            Confidence = d.Confidence,
            Reason = d.Reason,
        };

    /// <summary>
    /// The unknown answer, or the person of the nearest face among the nearby persons' when that face is nearer than
    /// <see cref="SamePhotoDistance"/>. Only the persons the rule already weighed are read (their faces alone, not a
    /// scan of the gallery), which is where an enrolled photo's own person stands.
    /// </summary>
    private static Match EnrolledPhotoAgain(GalleryIndex index, ReadOnlySpan<float> query, Match unknown, NearbyPersons nearby, OpenSetAssessment assessment)
    {
        (PersonDistance Face, float ToMean)? best = null;
        foreach (var candidate in nearby.Candidates)
            if (index.DistanceToPerson(candidate.PersonId, query, DistanceMetric.Euclidean) is { } face && face.Distance < (best?.Face.Distance ?? SamePhotoDistance))
                best = (face, candidate.Distance);
        if (best is not { } found) return unknown;
        var (nearest, toMean) = found;
        return unknown with
        {
            PersonId = nearest.PersonId,
            Name = nearest.PersonName,
            Distance = toMean,
            FaceId = nearest.FaceId,
            Confidence = assessment.ProbabilityOf(nearest.PersonId),
            Reason = OpenSetReason.SameAsAnEnrolledPhoto,
        };
    }

    private static Match NearestFaces(GalleryIndex index, ReadOnlySpan<float> query, MatchingOptions options)
    {
        var neighbors = new Neighbor[options.Mode == MatchMode.Knn ? options.K : 1];
        var found = index.Nearest(query, options.Metric, neighbors);
        return options.Mode == MatchMode.Knn
            ? MatchDecision.Knn(neighbors.AsSpan(0, found), options)
            : MatchDecision.Nearest(neighbors.AsSpan(0, found), options);
    }

    private static FaceEmbedding EmbeddingOf(Face face) =>
        face.Embedding ?? throw new ArgumentException("a face has no embedding to recognize", nameof(face));

    private static Verification Decide(float distance, float? threshold, long? personId, string? name)
    {
        var calibration = ThresholdCalibration.For(DistanceMetric.Euclidean, ThresholdUse.Verification);
        var limit = threshold ?? calibration.Threshold;
        if (!(limit >= 0)) throw new ArgumentOutOfRangeException(nameof(threshold), limit, "the threshold must be a non-negative number");
        var source = threshold is null ? calibration.Describe() : $"{limit:0.###} (euclidean, set by the caller)";
        return new Verification(distance, limit, distance < limit, source, personId, name);
    }
}
