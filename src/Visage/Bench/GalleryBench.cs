using System.Numerics.Tensors;
using Visage.Gallery.Search;
using Visage.Gallery;
using Visage.Matching;

namespace Visage.Cli.Bench;

/// <summary>Search figures of one gallery size.</summary>
public sealed record GalleryResult(
    int Faces, double BuildSeconds, double BytesPerMillion, Samples FloatScan1, Samples Index1, double Recall, int ExactAnswers, int Queries,
    double QpsParallel, double QpsBatched, double FloatScanGBs, IReadOnlyList<KernelResult> Kernels);

/// <summary>The index's one-thread latency with one dot-product kernel of the 8-bit scan, and whether it answered exactly.</summary>
public sealed record KernelResult(ScanKernel Kernel, Samples Index1, int ExactAnswers);

/// <summary>
/// Exact top-10 search over seeded synthetic galleries: latency per query on one thread (the index, and a plain
/// float32 scan as the baseline it replaced), queries per second on all cores (one query per thread, and batched),
/// recall against the float32 brute force, the index's memory per million faces, and the one-thread latency with each
/// dot-product kernel this CPU runs (the default is the first).
/// </summary>
public static class GalleryBench
{
    public const int K = 10;

    public static GalleryResult Run(int faces, int queries, int threads, int baselineQueries, TextWriter log)
    {
        var synth = new SyntheticFaces(seed: faces);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var index = new GalleryIndex("bench", faces); // sized as FaceGallery sizes it when loading a store
        var v = new float[128];
        for (long f = 0; f < faces; f++)
        {
            synth.Face(f, v);
            index.Add(f, f / synth.FacesPerPerson, "p", v);
        }
        var build = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
        var bytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        log.WriteLine($"  gallery {faces:N0}: built in {build:0.0} s, {bytes / 1e6:0} MB");

        // The brute-force reference keeps its own flat copy, made after the memory reading.
        var flat = new float[(long)faces * 128];
        for (long f = 0; f < faces; f++) synth.Face(f, flat.AsSpan((int)(f * 128), 128));
        var rng = new Random(faces);
        var qs = Enumerable.Range(0, queries).Select(i => synth.Query(rng.NextInt64(faces / synth.FacesPerPerson), i)).ToArray();

        var floatScan = new Samples();
        var expected = new (long Id, float D)[queries][];
        for (var i = 0; i < queries; i++)
        {
            var q = qs[i];
            (long, float)[] answer = [];
            var ms = Samples.Time(() => answer = FloatScan(flat, q));
            if (i < baselineQueries) floatScan.Add(ms);
            expected[i] = answer;
        }

        var indexed = new Samples();
        var found = new Neighbor[K];
        double recall = 0;
        var exact = 0;
        for (var i = 0; i < queries; i++)
        {
            var n = 0;
            indexed.Add(Samples.Time(() => n = index.Nearest(qs[i], DistanceMetric.Euclidean, found)));
            var got = found.Take(n).Select(x => (x.FaceId, x.Distance)).ToArray();
            recall += got.Select(x => x.FaceId).Intersect(expected[i].Select(e => e.Id)).Count() / (double)K;
            if (got.SequenceEqual(expected[i])) exact++;
        }

        var kernels = ScanKernels.Choice.Supported.Select(k => TimeKernel(k, index, qs, expected, k == ScanKernel.Scalar ? baselineQueries : queries)).ToList();

        var parallel = Enumerable.Range(0, 3).Max(_ => queries / (Samples.Time(() =>
            Parallel.For(0, queries, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => index.Nearest(qs[i], DistanceMetric.Euclidean, new Neighbor[K]))) / 1000));
        var batched = Enumerable.Range(0, 3).Max(_ => queries / (Samples.Time(() => index.NearestMany(qs, K, threads)) / 1000));
        index.Dispose();
        return new GalleryResult(faces, build, bytes * 1e6 / faces, floatScan, indexed, recall / queries, exact, queries, parallel, batched,
            faces * 512.0 / (floatScan.Median * 1e6), kernels);
    }

    private static KernelResult TimeKernel(ScanKernel kernel, GalleryIndex index, float[][] qs, (long Id, float D)[][] expected, int queries)
    {
        var before = ScanKernels.Choice.Current;
        ScanKernels.Choice.Current = kernel;
        try
        {
            var samples = new Samples();
            var found = new Neighbor[K];
            var exact = 0;
            for (var i = 0; i < queries; i++)
            {
                var n = 0;
                samples.Add(Samples.Time(() => n = index.Nearest(qs[i], DistanceMetric.Euclidean, found)));
                if (found.Take(n).Select(x => (x.FaceId, x.Distance)).SequenceEqual(expected[i])) exact++;
            }
            return new KernelResult(kernel, samples, exact);
        }
        finally { ScanKernels.Choice.Current = before; }
    }

    /// <summary>The float32 brute force: what <see cref="GalleryIndex"/> did before the 8-bit pass (and the recall reference).</summary>
    private static (long Id, float D)[] FloatScan(float[] flat, float[] q)
    {
        var best = new List<(long Id, float D)>(K + 1);
        var rows = flat.Length / 128;
        for (var r = 0; r < rows; r++)
        {
            var d = TensorPrimitives.Distance(q, flat.AsSpan(r * 128, 128));
            if (best.Count == K && d >= best[^1].D) continue;
            var i = best.Count;
            while (i > 0 && (d < best[i - 1].D || (d == best[i - 1].D && r < best[i - 1].Id))) i--;
            best.Insert(i, (r, d));
            if (best.Count > K) best.RemoveAt(K);
        }
        return [.. best];
    }
}
