namespace Visage.Matching;

/// <summary>
/// The decision rules, as pure functions over what a gallery search found (no I/O, no state; names come with the
/// neighbours). Anything not strictly below the threshold is unknown: a stranger is never forced onto a known name.
/// </summary>
public static class MatchDecision
{
    /// <summary>Nearest face: its person when its distance is below the threshold, else unknown.</summary>
    /// <param name="nearest">Neighbours sorted by ascending distance (only the first is used); empty for an empty gallery.</param>
    /// <param name="options">Threshold and metric.</param>
    public static Match Nearest(ReadOnlySpan<Neighbor> nearest, MatchingOptions options)
    {
        if (nearest.IsEmpty) return Unknown(MatchMode.Nearest, float.PositiveInfinity, options);
        var best = nearest[0];
        return best.Distance < options.Threshold
            ? new Match(best.PersonId, best.PersonName, best.Distance, MatchMode.Nearest, options.Metric, options.Threshold, FaceId: best.FaceId)
            : Unknown(MatchMode.Nearest, best.Distance, options, faceId: best.FaceId);
    }

    /// <summary>
    /// k-NN vote: among <paramref name="nearest"/> (the K nearest faces, sorted by ascending distance) only faces below the
    /// threshold vote for their person; the most votes wins, a tie goes to the smaller best distance. With no votes the
    /// answer is unknown, carrying the distance of the nearest face.
    /// </summary>
    /// <param name="nearest">The K nearest neighbours sorted by ascending distance (ties by face id); empty for an empty gallery.</param>
    /// <param name="options">Threshold and metric (K is applied by the search that produced <paramref name="nearest"/>).</param>
    public static Match Knn(ReadOnlySpan<Neighbor> nearest, MatchingOptions options)
    {
        if (nearest.IsEmpty) return Unknown(MatchMode.Knn, float.PositiveInfinity, options, votes: 0);
        var winner = -1;
        var winnerVotes = 0;
        // K is small: count per person in O(K^2) without allocating. Persons are visited in order of their best
        // (first) neighbour, so "strictly more votes" leaves ties with the person whose best distance is smaller.
        for (var i = 0; i < nearest.Length && nearest[i].Distance < options.Threshold; i++)
        {
            var person = nearest[i].PersonId;
            if (SeenBefore(nearest, i, person)) continue;
            var votes = 0;
            for (var j = i; j < nearest.Length && nearest[j].Distance < options.Threshold; j++)
                if (nearest[j].PersonId == person) votes++;
            if (votes > winnerVotes) { winner = i; winnerVotes = votes; }
        }
        if (winner < 0) return Unknown(MatchMode.Knn, nearest[0].Distance, options, votes: 0, faceId: nearest[0].FaceId);
        var w = nearest[winner];
        return new Match(w.PersonId, w.PersonName, w.Distance, MatchMode.Knn, options.Metric, options.Threshold, winnerVotes, w.FaceId);
    }

    /// <summary>Nearest centroid: its person when the distance to the centroid is below the threshold, else unknown.</summary>
    /// <param name="nearest">The person with the nearest centroid, or null when the gallery is empty.</param>
    /// <param name="options">Threshold and metric.</param>
    public static Match Centroid(PersonDistance? nearest, MatchingOptions options)
    {
        if (nearest is not { } p) return Unknown(MatchMode.Centroid, float.PositiveInfinity, options);
        return p.Distance < options.Threshold
            ? new Match(p.PersonId, p.PersonName, p.Distance, MatchMode.Centroid, options.Metric, options.Threshold)
            : Unknown(MatchMode.Centroid, p.Distance, options);
    }

    private static bool SeenBefore(ReadOnlySpan<Neighbor> nearest, int index, long person)
    {
        for (var j = 0; j < index; j++)
            if (nearest[j].PersonId == person) return true;
        return false;
    }

    private static Match Unknown(MatchMode mode, float distance, MatchingOptions options, int? votes = null, long? faceId = null) =>
        new(null, null, distance, mode, options.Metric, options.Threshold, votes, faceId);
}
