using System.Diagnostics;
using System.Numerics.Tensors;
using Visage.Gallery.Search;
using Visage.Matching;

namespace Visage.Cli.Bench;

/// <summary>Search figures of a compressed index at one probe share.</summary>
public sealed record EffortResult(double ProbeShare, int Rerank, Samples Wall, Samples Cpu, double Recall, int ExactAnswers, double QpsParallel);

/// <summary>Figures of one compressed gallery: build, memory, searches at each probe share, persons' means, save and reopen.</summary>
public sealed record CompressedGalleryResult(
    int Faces, double BuildSeconds, double SourceSeconds, long FileBytes, ResidentMemory Before, ResidentMemory Built, ResidentMemory Searched,
    int Queries, IReadOnlyList<EffortResult> Efforts, double MeansSeconds, Samples Centroid, double CentroidTop1, ResidentMemory WithMeans,
    double SaveSeconds, double OpenSeconds);

/// <summary>
/// The compressed index (IVF lists of 4-bit PQ codes, float32 rows in a file) over seeded synthetic
/// galleries: build time (the synthetic source's own time apart), resident memory by kind before and after building
/// and searching, top-10 latency on one thread (wall and the thread's own CPU time, which the machine's load does not
/// inflate) and recall against an exact float32 scan at each probe share asked for, queries per second on every core,
/// the persons' means (built on first use) and a centroid search, and saving and reopening the index.
/// </summary>
public static class CompressedGalleryBench
{
    private const int K = 10;

    // Faces generated per parallel batch of the synthetic source (4 MB of vectors).
    private const int SourceBatch = 8192;

    /// <summary>Builds a compressed index of <paramref name="faces"/> synthetic faces in <paramref name="directory"/> and measures it with <paramref name="queries"/> queries.</summary>
    public static CompressedGalleryResult Run(int faces, int queries, double[] probeShares, string directory, TextWriter log)
    {
        var synth = new SyntheticFaces(seed: faces);
        var before = ResidentMemory.Read();
        var sourceSeconds = 0.0;
        var start = Stopwatch.GetTimestamp();
        var index = GalleryIndex.BuildCompressed("bench", directory, new GalleryIndexOptions(), visit =>
        {
            var batch = new float[SourceBatch * 128];
            for (var first = 0; first < faces; first += SourceBatch)
            {
                var n = Math.Min(SourceBatch, faces - first);
                var made = Stopwatch.GetTimestamp();
                Parallel.For(0, n, i => synth.Face(first + i, batch.AsSpan(i * 128, 128)));
                sourceSeconds += Stopwatch.GetElapsedTime(made).TotalSeconds;
                for (var i = 0; i < n; i++)
                {
                    long face = first + i;
                    visit(face, face / synth.FacesPerPerson, "p", batch.AsSpan(i * 128, 128));
                }
            }
        }, faces);
        var build = Stopwatch.GetElapsedTime(start).TotalSeconds - sourceSeconds;
        var built = ResidentMemory.Read();
        var file = Path.Combine(index.Directory!, "faces.f32");
        log.WriteLine($"  compressed {faces:N0}: built in {build:0.0} s (+{sourceSeconds:0.0} s making the synthetic faces), resident +{(built - before).Total / 1e6:0} MB");

        var rng = new Random(faces);
        var qs = Enumerable.Range(0, queries).Select(i => synth.Query(rng.NextInt64(faces / synth.FacesPerPerson), i)).ToArray();
        var expected = ExactTopK(file, faces, qs);
        log.WriteLine("  exact answers read from the file");

        var efforts = new List<EffortResult>();
        foreach (var share in probeShares)
        {
            index.SetSearchEffort(share, new GalleryIndexOptions().Rerank);
            var found = new Neighbor[K];
            foreach (var q in qs) index.Nearest(q, DistanceMetric.Euclidean, found); // the re-ranked rows' pages come in once
            var (wall, cpu) = (new Samples(), new Samples());
            double recall = 0;
            var exact = 0;
            for (var i = 0; i < queries; i++)
            {
                var n = 0;
                var cpuStart = ThreadCpu.Milliseconds();
                wall.Add(Samples.Time(() => n = index.Nearest(qs[i], DistanceMetric.Euclidean, found)));
                cpu.Add(ThreadCpu.Milliseconds() - cpuStart);
                var got = found.Take(n).Select(x => (x.FaceId, x.Distance)).ToArray();
                recall += got.Select(x => x.FaceId).Intersect(expected[i].Select(e => e.Id)).Count() / (double)K;
                if (got.SequenceEqual(expected[i])) exact++;
            }
            var parallel = Enumerable.Range(0, 3).Max(_ => queries / (Samples.Time(() =>
                Parallel.For(0, queries, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => index.Nearest(qs[i], DistanceMetric.Euclidean, new Neighbor[K]))) / 1000));
            efforts.Add(new EffortResult(share, new GalleryIndexOptions().Rerank, wall, cpu, recall / queries, exact, parallel));
            log.WriteLine($"  probe share {share:0.####}: median {wall.Median:0.000} ms (cpu {cpu.Median:0.000}), recall {recall / queries:0.0000}");
        }
        index.SetSearchEffort(new GalleryIndexOptions().ProbeShare, new GalleryIndexOptions().Rerank);
        var searched = ResidentMemory.Read();

        var meansStart = Stopwatch.GetTimestamp();
        index.NearestPerson(qs[0], DistanceMetric.Euclidean);
        var means = Stopwatch.GetElapsedTime(meansStart).TotalSeconds;
        var centroid = new Samples();
        var top1 = 0;
        for (var i = 0; i < queries; i++)
        {
            PersonDistance? person = null;
            centroid.Add(Samples.Time(() => person = index.NearestPerson(qs[i], DistanceMetric.Euclidean)));
            if (person?.PersonId == expected[i][0].Id / synth.FacesPerPerson) top1++;
        }
        var withMeans = ResidentMemory.Read();

        var save = Samples.Time(() => index.Save("bench")) / 1000;
        index.Dispose();
        var open = 0.0;
        using (var reopened = Timed(() => GalleryIndex.OpenCompressed("bench", directory, new GalleryIndexOptions(), out _), out open))
            if (reopened?.Count != faces) throw new InvalidOperationException("the saved index did not come back");
        return new CompressedGalleryResult(faces, build, sourceSeconds, new FileInfo(file).Length, before, built, searched, queries, efforts,
            means, centroid, top1 / (double)queries, withMeans, save, open);
    }

    private static T Timed<T>(Func<T> run, out double seconds)
    {
        var start = Stopwatch.GetTimestamp();
        var value = run();
        seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return value;
    }

    /// <summary>The exact top-10 of every query (float32, ties by id), from one sequential read of the rows file.</summary>
    private static (long Id, float D)[][] ExactTopK(string file, int faces, float[][] qs)
    {
        var best = qs.Select(_ => new List<(long Id, float D)>(K + 1)).ToArray();
        const int Chunk = 16384;
        var bytes = new byte[Chunk * 512];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        stream.Position = 4096; // the rows file's header page
        for (var first = 0; first < faces; first += Chunk)
        {
            var n = Math.Min(Chunk, faces - first);
            stream.ReadExactly(bytes, 0, n * 512);
            var rows = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, n * 512)).ToArray();
            Parallel.For(0, qs.Length, q =>
            {
                var list = best[q];
                for (var r = 0; r < n; r++)
                {
                    var d = TensorPrimitives.Distance(qs[q], rows.AsSpan(r * 128, 128));
                    if (list.Count == K && d >= list[^1].D) continue;
                    var i = list.Count;
                    while (i > 0 && d < list[i - 1].D) i--;
                    list.Insert(i, (first + r, d));
                    if (list.Count > K) list.RemoveAt(K);
                }
            });
        }
        return [.. best.Select(b => b.ToArray())];
    }
}
