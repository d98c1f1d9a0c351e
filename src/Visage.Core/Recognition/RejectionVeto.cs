using Visage.Gallery.Search;
using Visage.Matching;

namespace Visage.Recognition;

/// <summary>
/// How a rejection ("that was not me") bends the decision. A descriptor rejected for person P is a negative example of
/// P: P is vetoed for a probe that is nearer to one of P's rejected descriptors than to every one of P's own faces
/// (a nearest-neighbour vote between P's positives and negatives). So the stranger who was taken for P, and anyone
/// who looks more like that stranger than like P, is no longer named P, while P, nearer to their own faces, still is.
/// The veto applies after the decision: a vetoed person is taken out and the rule decides again among the others (the
/// open-set rule on the other nearest persons, the face rules on the nearest faces of the others; in centroid mode the
/// face is then unknown). A rejection only ever takes a name away from the answer it decided; it never breaks a tie
/// the rule left unknown.
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
    /// vetoed; otherwise, in <see cref="MatchMode.OpenSet"/>, <paramref name="openSetWithout"/> with the vetoed persons
    /// left out (again while it names someone vetoed), and in the face modes the decision among the
    /// <see cref="Widening"/> nearer faces of persons not vetoed.
    /// </summary>
    /// <param name="index">The faces.</param>
    /// <param name="rejections">The rejected descriptors.</param>
    /// <param name="query">The probe.</param>
    /// <param name="options">The rule that decided <paramref name="match"/>.</param>
    /// <param name="match">The rule's answer.</param>
    /// <param name="openSetWithout">The open-set decision among the searched persons but the given ones.</param>
    internal static Match Apply(GalleryIndex index, RejectionIndex rejections, ReadOnlySpan<float> query, MatchingOptions options, Match match,
        Func<IReadOnlySet<long>, Match> openSetWithout)
    {
        if (match.PersonId is not { } named || !Vetoes(index, rejections, named, query, options.Metric)) return match;
        if (options.Mode == MatchMode.OpenSet)
        {
            var excluded = new HashSet<long> { named };
            var again = openSetWithout(excluded);
            while (again.PersonId is { } next && Vetoes(index, rejections, next, query, options.Metric))
            {
                excluded.Add(next);
                again = openSetWithout(excluded);
            }
            return again with { VetoedPersonId = named };
        }
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
