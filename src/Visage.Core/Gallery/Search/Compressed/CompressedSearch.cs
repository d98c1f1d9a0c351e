using Visage.Matching;

namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// Approximate nearest rows of a <see cref="CompressedRows"/>: the query's nearest <c>probes</c> lists are scanned with
/// <see cref="FastScan"/> (8-bit distance tables, one scale for all lists, so their sums compare), the best
/// <c>rerank</c> codes are kept, and those rows get their exact float32 distance from the file. A true neighbour is
/// missed only when its list is not probed or its coded distance ranks it outside the kept candidates: the bench
/// measures how often (recall against the exact scan).
/// </summary>
internal static class CompressedSearch
{
    [ThreadStatic] private static Scratch? _scratch;

    /// <summary>
    /// Writes up to <paramref name="candidates"/>.Length rows (slot and exact Euclidean distance, in no order) that the
    /// approximate pass ranks nearest to <paramref name="query"/>; returns how many.
    /// </summary>
    public static int Candidates(CompressedRows rows, ReadOnlySpan<float> query, int probes, Span<(int Slot, float Distance)> candidates)
    {
        if (rows.Count == 0 || candidates.IsEmpty) return 0;
        var coder = rows.Coder;
        var scratch = _scratch ??= new Scratch();
        probes = Math.Clamp(probes, 1, coder.Coarse.Lists);
        scratch.Fit(coder, probes, candidates.Length);
        var probed = coder.Coarse.Probe(query, scratch.Lists.AsSpan(0, probes), scratch.Scores);
        var tableLength = coder.Subquantizers * ProductQuantizer.Centroids;

        // Float tables first: one scale for every probed list makes their 8-bit sums comparable.
        var range = 0f;
        for (var p = 0; p < probed; p++)
        {
            scratch.Biases[p] = coder.RelativeTable(query, scratch.Lists[p], scratch.Tables.AsSpan(p * tableLength, tableLength), out var spread);
            range = MathF.Max(range, spread);
        }
        var scale = range > 0 && float.IsFinite(range) ? range / 255 : 1;
        var heap = scratch.Heap;
        heap.Reset(candidates.Length);
        var kernel = FastScanKernels.Choice.Current;
        for (var p = 0; p < probed; p++)
        {
            var list = scratch.Lists[p];
            var length = rows.Lists.Length(list);
            if (length == 0) continue;
            var bytes = scratch.Bytes.AsSpan(0, tableLength);
            ProductQuantizer.Quantize(scratch.Tables.AsSpan(p * tableLength, tableLength), scale, bytes);
            var sink = new Sink(heap, rows.Lists, list, scratch.Biases[p], scale);
            var threshold = sink.Threshold();
            if (threshold < 0) continue; // every code of this list is farther than the candidates already kept
            FastScan.Scan(kernel, rows.Lists.Blocks(list), length, bytes, coder.Subquantizers, (ushort)threshold, ref sink);
        }
        for (var i = 0; i < heap.Count; i++)
        {
            var slot = heap.SlotAt(i);
            candidates[i] = (slot, FaceDistance.Euclidean(query, rows.Row(slot)));
        }
        return heap.Count;
    }

    /// <summary>Offers the codes a list scan finds to the candidate heap, in the float domain all lists share.</summary>
    private readonly struct Sink(CandidateHeap heap, InvertedLists lists, int list, float bias, float scale) : IFastScanSink
    {
        public ushort Offer(int entry, ushort distance)
        {
            heap.Offer(bias + scale * distance, lists.SlotAt(list, entry));
            return (ushort)Math.Max(0, Threshold());
        }

        /// <summary>The largest 8-bit sum that can still enter the heap; negative when none can.</summary>
        public int Threshold() => heap.IsFull ? (int)Math.Clamp(MathF.Floor((heap.Worst - bias) / scale), -1, ushort.MaxValue) : ushort.MaxValue;
    }

    /// <summary>Buffers reused by a thread's searches.</summary>
    private sealed class Scratch
    {
        public int[] Lists = [];
        public float[] Scores = [];
        public float[] Tables = [];
        public float[] Biases = [];
        public byte[] Bytes = [];
        public CandidateHeap Heap { get; } = new();

        public void Fit(VectorCoder coder, int probes, int candidates)
        {
            var tableLength = coder.Subquantizers * ProductQuantizer.Centroids;
            if (Lists.Length < probes) (Lists, Biases) = (new int[probes], new float[probes]);
            if (Scores.Length < coder.Coarse.ScoreLength) Scores = new float[coder.Coarse.ScoreLength];
            if (Tables.Length < probes * tableLength) Tables = new float[probes * tableLength];
            if (Bytes.Length < tableLength) Bytes = new byte[tableLength];
            Heap.Reserve(candidates);
        }
    }
}
