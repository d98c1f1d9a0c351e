using Visage.Gallery.Search;
using Visage.Matching;

namespace Visage.Recognition;

/// <summary>
/// How a rejection ("that was not me") bends the decision. A descriptor rejected for person P is a negative example of
/// P: P is vetoed for a probe that is nearer to one of P's rejected descriptors than to every one of P's own faces
/// (a nearest-neighbour vote between P's positives and negatives). So the stranger who was taken for P, and anyone
/// who looks more like that stranger than like P, is no longer named P, while P, nearer to their own faces, still is.
/// A vetoed person is taken out and the rule decides again on the nearest faces of the others (in centroid mode the
/// face is then unknown): a rejection never puts a name on anyone, it only takes one away.
/// </summary>
public static class RejectionVeto
{
    /// <summary>How many more neighbours than the rule needs are searched when a person is vetoed, to decide among the others.</summary>
    public const int Widening = 32;

    /// <summary>True when a rejection vetoes <paramref name="personId"/> for <paramref name="query"/>.</summary>
    public static bool Vetoes(GalleryIndex index, RejectionIndex rejections, long personId, ReadOnlySpan<float> query, DistanceMetric metric)
    {
        if (!rejections.Has(personId) || rejections.NearestTo(personId, query, metric) is not { } rejected) return false;
        var own = index.DistanceToPerson(personId, query, metric)?.Distance ?? float.PositiveInfinity;
        return rejected < own;
    }

    /// <summary>
    /// The rule's answer with vetoed persons taken out: <paramref name="match"/> itself when it names nobody or nobody
    /// vetoed; otherwise the decision among the <see cref="Widening"/> nearer faces of persons not vetoed.
    /// </summary>
    internal static Match Apply(GalleryIndex index, RejectionIndex rejections, ReadOnlySpan<float> query, MatchingOptions options, Match match)
    {
        if (match.PersonId is not { } named || !Vetoes(index, rejections, named, query, options.Metric)) return match;
        if (options.Mode == MatchMode.Centroid)
            return match with { PersonId = null, Name = null, VetoedPersonId = named };

        var neighbors = new Neighbor[(options.Mode == MatchMode.Knn ? options.K : 1) + Widening];
        var found = index.Nearest(query, options.Metric, neighbors);
        var vetoed = new Dictionary<long, bool> { [named] = true };
        var kept = 0;
        for (var i = 0; i < found; i++)
        {
            var person = neighbors[i].PersonId;
            if (!vetoed.TryGetValue(person, out var out_)) vetoed[person] = out_ = Vetoes(index, rejections, person, query, options.Metric);
            if (!out_) neighbors[kept++] = neighbors[i];
        }
        var rest = neighbors.AsSpan(0, options.Mode == MatchMode.Knn ? Math.Min(kept, options.K) : kept);
        var decided = options.Mode == MatchMode.Knn ? MatchDecision.Knn(rest, options) : MatchDecision.Nearest(rest, options);
        return decided with { VetoedPersonId = named };
    }
}
