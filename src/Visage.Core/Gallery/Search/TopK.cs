using Visage.Matching;

namespace Visage.Gallery.Search;

/// <summary>An index row near a query: its slot, distance, and id (the tie-breaker).</summary>
internal readonly record struct Hit(int Slot, float Distance, long Id)
{
    /// <summary>Ascending distance, then ascending id, so equal distances give the same answer every time.</summary>
    public bool IsBefore(Hit other) => Distance < other.Distance || (Distance == other.Distance && Id < other.Id);
}

/// <summary>Exact top-k by a linear scan: one SIMD distance per row and no allocation.</summary>
internal static class TopK
{
    /// <summary>
    /// Fills <paramref name="best"/> with the nearest rows in ascending order and returns how many it found
    /// (fewer than its length when there are fewer rows). A NaN distance (cosine of an all-zero vector) ranks last.
    /// </summary>
    public static int Scan(ReadOnlySpan<float> query, VectorRows rows, DistanceMetric metric, Span<Hit> best)
    {
        if (best.IsEmpty) return 0;
        var found = 0;
        var width = rows.Width;
        var data = rows.Data;
        var ids = rows.Ids;
        for (var slot = 0; slot < ids.Length; slot++)
        {
            var distance = FaceDistance.Compute(metric, query, data.Slice(slot * width, width));
            Insert(new Hit(slot, float.IsNaN(distance) ? float.PositiveInfinity : distance, ids[slot]), best, ref found);
        }
        return found;
    }

    /// <summary>Inserts a hit into the sorted buffer <paramref name="best"/> holding <paramref name="found"/> hits, if it belongs there.</summary>
    public static void Insert(Hit hit, Span<Hit> best, ref int found)
    {
        if (found == best.Length && !hit.IsBefore(best[found - 1])) return; // the common case: not in the top k
        // Insertion: k is small, and after the first rows few candidates get this far.
        var i = found < best.Length ? found++ : found - 1;
        while (i > 0 && hit.IsBefore(best[i - 1]))
        {
            best[i] = best[i - 1];
            i--;
        }
        best[i] = hit;
    }
}
