using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Visage.Gallery.Search;
using Visage.Gallery;
using Visage.Matching;

namespace Visage.Benchmarks.Gallery;

/// <summary>Exact top-10 of one query: the float32 scan (what the index did before) against the 8-bit pass + exact re-rank.</summary>
[MemoryDiagnoser]
public class SearchBenchmarks
{
    private GalleryIndex _index = null!;
    private float[] _flat = [];
    private float[] _query = [];
    private readonly Neighbor[] _found = new Neighbor[10];

    [Params(100_000, 1_000_000)]
    public int Faces { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(Faces);
        _index = new GalleryIndex("bench", Faces);
        _flat = new float[Faces * 128];
        var center = new float[128];
        for (var f = 0; f < Faces; f++)
        {
            if (f % 10 == 0) for (var i = 0; i < 128; i++) center[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
            var row = _flat.AsSpan(f * 128, 128);
            for (var i = 0; i < 128; i++) row[i] = center[i] + (float)(rng.NextDouble() - 0.5) * 0.08f;
            _index.Add(f, f / 10, "p", row);
        }
        _query = _flat.AsSpan(12_340 * 128, 128).ToArray();
        _query[0] += 0.01f;
    }

    [GlobalCleanup]
    public void Cleanup() => _index.Dispose();

    [Benchmark(Baseline = true)]
    public float Float32Scan()
    {
        // One TensorPrimitives distance per row, keeping the 10 smallest: the previous GalleryIndex scan.
        Span<float> best = stackalloc float[10];
        best.Fill(float.PositiveInfinity);
        for (var r = 0; r < Faces; r++)
        {
            var d = TensorPrimitives.Distance(_query, _flat.AsSpan(r * 128, 128));
            if (d >= best[9]) continue;
            var i = 9;
            while (i > 0 && d < best[i - 1]) { best[i] = best[i - 1]; i--; }
            best[i] = d;
        }
        return best[9];
    }

    [Benchmark]
    public int QuantizedThenExact() => _index.Nearest(_query, DistanceMetric.Euclidean, _found);
}
