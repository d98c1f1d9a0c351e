using Visage.Matching;

namespace Visage.Gallery.Search;

/// <summary>
/// Rows held in memory as float32 (<see cref="VectorRows"/>) and, slot for slot, in 8 bits (<see cref="QuantizedRows"/>):
/// Euclidean searches of more than <see cref="QuantizedMinRows"/> rows scan the 8-bit copy first and re-rank the few
/// rows that can still be among the nearest, which gives the brute-force answer for a quarter of the memory traffic.
/// </summary>
internal sealed class ExactRows(int width, int initialCapacity) : IFaceRows
{
    // Below this many rows the float32 scan is as fast as two passes (the rows fit in cache).
    internal const int QuantizedMinRows = 2048;

    private readonly VectorRows _rows = new(width, initialCapacity);
    private readonly QuantizedRows _codes = new(width, initialCapacity);

    public int Count => _rows.Count;

    public long IdAt(int slot) => _rows.IdAt(slot);

    public long OwnerAt(int slot) => _rows.OwnerAt(slot);

    public ReadOnlySpan<float> Row(int slot) => _rows.Row(slot);

    public int Add(long id, long owner, ReadOnlySpan<float> vector)
    {
        _codes.Add(vector);
        return _rows.Add(id, owner, vector);
    }

    public void AddMany(ReadOnlySpan<long> ids, ReadOnlySpan<long> owners, ReadOnlySpan<float> vectors)
    {
        var width = vectors.Length / Math.Max(1, ids.Length);
        for (var i = 0; i < ids.Length; i++) Add(ids[i], owners[i], vectors.Slice(i * width, width));
    }

    public void Replace(int slot, ReadOnlySpan<float> vector)
    {
        vector.CopyTo(_rows.Row(slot));
        _codes.Set(slot, vector);
    }

    public long? RemoveAt(int slot)
    {
        _codes.RemoveAt(slot);
        return _rows.RemoveAt(slot);
    }

    public int Nearest(ReadOnlySpan<float> query, DistanceMetric metric, Span<Hit> best)
    {
        if (metric == DistanceMetric.Euclidean && _rows.Count >= QuantizedMinRows && new QuantizedQuery(query, best.Length) is { IsFinite: true } q)
        {
            QuantizedScan.Filter(_codes, 0, _codes.Count, [q]);
            return QuantizedScan.Rank(q, _rows, best);
        }
        return TopK.Scan(query, _rows, metric, best);
    }

    public Hit[][] NearestMany(IReadOnlyList<float[]> queries, int k, int threads)
    {
        var results = new Hit[queries.Count][];
        var count = _rows.Count;
        if (count < QuantizedMinRows)
        {
            for (var i = 0; i < queries.Count; i++) results[i] = NearestArray(queries[i], k);
            return results;
        }
        // One set of query states per partition of the rows; partitions are merged before the exact re-rank.
        var parts = Math.Min(threads, Math.Max(1, count / QuantizedMinRows));
        var states = new QuantizedQuery[parts][];
        for (var p = 0; p < parts; p++) states[p] = queries.Select(q => new QuantizedQuery(q, k)).ToArray();
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
            p => QuantizedScan.Filter(_codes, (int)((long)count * p / parts), (int)((long)count * (p + 1) / parts), states[p]));
        for (var i = 0; i < queries.Count; i++)
        {
            var q = states[0][i];
            if (!q.IsFinite)
            {
                results[i] = NearestArray(queries[i], k);
                continue;
            }
            for (var p = 1; p < parts; p++) q.Merge(states[p][i]);
            var hits = new Hit[k];
            results[i] = hits[..QuantizedScan.Rank(q, _rows, hits)];
        }
        return results;
    }

    public void Dispose() { }

    private Hit[] NearestArray(ReadOnlySpan<float> query, int k)
    {
        var hits = new Hit[k];
        return hits[..Nearest(query, DistanceMetric.Euclidean, hits)];
    }
}
