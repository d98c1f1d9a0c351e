using Visage.Gallery.Search.Compressed;
using Visage.Matching;

namespace Visage.Gallery.Search;

/// <summary>
/// Rows of a compressed index (<see cref="CompressedRows"/>): a Euclidean search scans the 4-bit codes of the
/// query's nearest <see cref="Probes"/> lists, keeps the best <see cref="Rerank"/> (at least k) and ranks those by
/// their exact float32 distance, read from the file. Other metrics and non-finite queries get an exact scan of the
/// file: correct, but it reads every row.
/// </summary>
internal sealed class ProbedRows(CompressedRows rows, int probes, int rerank, int buildThreads) : IFaceRows
{
    // Candidate buffers up to this size live on the stack.
    private const int MaxStackCandidates = 256;

    // Rows per positional read of an exact scan: 2 MB of float32.
    private const int ScanChunk = 4096;

    /// <summary>The codes, lists and file.</summary>
    public CompressedRows Compressed => rows;

    /// <summary>Lists scanned per query.</summary>
    public int Probes { get; set; } = probes;

    /// <summary>Candidates re-ranked exactly per query (at least k).</summary>
    public int Rerank { get; set; } = rerank;

    public int Count => rows.Count;

    public long IdAt(int slot) => rows.IdAt(slot);

    public long OwnerAt(int slot) => rows.OwnerAt(slot);

    public ReadOnlySpan<float> Row(int slot) => rows.Row(slot);

    public int Add(long id, long owner, ReadOnlySpan<float> vector) => rows.Add(id, owner, vector);

    public void AddMany(ReadOnlySpan<long> ids, ReadOnlySpan<long> owners, ReadOnlySpan<float> vectors) => rows.AddMany(ids, owners, vectors, buildThreads);

    public void Replace(int slot, ReadOnlySpan<float> vector) => rows.Replace(slot, vector);

    public long? RemoveAt(int slot) => rows.RemoveAt(slot);

    public int Nearest(ReadOnlySpan<float> query, DistanceMetric metric, Span<Hit> best)
    {
        if (best.IsEmpty) return 0;
        if (metric != DistanceMetric.Euclidean || !IsFinite(query)) return ExactScan(query, metric, best);
        var want = Math.Max(Rerank, best.Length);
        var candidates = want <= MaxStackCandidates ? stackalloc (int Slot, float Distance)[want] : new (int, float)[want];
        var n = CompressedSearch.Candidates(rows, query, Probes, candidates);
        var found = 0;
        foreach (var (slot, distance) in candidates[..n])
            TopK.Insert(new Hit(slot, float.IsNaN(distance) ? float.PositiveInfinity : distance, rows.IdAt(slot)), best, ref found);
        return found;
    }

    public Hit[][] NearestMany(IReadOnlyList<float[]> queries, int k, int threads)
    {
        var results = new Hit[queries.Count][];
        Parallel.For(0, queries.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var hits = new Hit[k];
            results[i] = hits[..Nearest(queries[i], DistanceMetric.Euclidean, hits)];
        });
        return results;
    }

    public void Dispose() => rows.Dispose();

    private int ExactScan(ReadOnlySpan<float> query, DistanceMetric metric, Span<Hit> best)
    {
        var width = rows.Width;
        var buffer = new float[ScanChunk * width];
        var found = 0;
        for (var first = 0; first < rows.Count; first += ScanChunk)
        {
            var n = Math.Min(ScanChunk, rows.Count - first);
            rows.File.Read(first, buffer.AsSpan(0, n * width));
            for (var i = 0; i < n; i++)
            {
                var distance = FaceDistance.Compute(metric, query, buffer.AsSpan(i * width, width));
                TopK.Insert(new Hit(first + i, float.IsNaN(distance) ? float.PositiveInfinity : distance, rows.IdAt(first + i)), best, ref found);
            }
        }
        return found;
    }

    private static bool IsFinite(ReadOnlySpan<float> v)
    {
        foreach (var x in v) if (!float.IsFinite(x)) return false;
        return true;
    }
}
