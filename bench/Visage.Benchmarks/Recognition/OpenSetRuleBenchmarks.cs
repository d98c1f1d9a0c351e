using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Visage.Matching.OpenSet;

namespace Visage.Benchmarks.Recognition;

/// <summary>
/// What the open-set rule adds per face on a 10,000-face gallery (issue 19: under 1 ms): the scan of every person's
/// centroid for the 10 nearest (the rule decides on centroids; the face scan is the index's own), the decision
/// itself, and keeping the summary up to date when a face comes and goes.
/// </summary>
[MemoryDiagnoser]
public class OpenSetRuleBenchmarks
{
    private const int Nearest = 10;
    private readonly OpenSetRule _rule = new();
    private GallerySummary _summary = null!;
    private GalleryStatistics _statistics = null!;
    private float[] _centroids = [];
    private long[] _persons = [];
    private float[] _query = [];
    private PersonCandidate[] _candidates = [];

    /// <summary>Faces enrolled per person (10,000 faces in all).</summary>
    [Params(1, 3)]
    public int FacesPerPerson { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(FacesPerPerson);
        var persons = 10_000 / FacesPerPerson;
        _summary = new GallerySummary(128);
        for (var p = 0; p < persons; p++)
        {
            var mean = Random(rng, 0.045f);
            for (var f = 0; f < FacesPerPerson; f++)
            {
                var face = Random(rng, 0.026f);
                TensorPrimitives.Add(face, mean, face);
                _summary.Add(p, face);
            }
        }
        _statistics = _summary.Statistics;
        _persons = [.. Enumerable.Range(0, persons).Select(p => (long)p)];
        _centroids = new float[persons * 128];
        for (var p = 0; p < persons; p++) _summary.CentroidOf(p, _centroids.AsSpan(p * 128, 128));
        _query = _centroids.AsSpan(1234 * 128, 128).ToArray();
        _query[0] += 0.05f;
        _candidates = ScanCentroids();
    }

    [Benchmark(Baseline = true)]
    public OpenSetDecision Decide() => _rule.Decide(_candidates, _statistics);

    [Benchmark]
    public OpenSetDecision ScanCentroidsThenDecide() => _rule.Decide(ScanCentroids(), _summary.Statistics);

    [Benchmark]
    public int AddAndRemoveAFace()
    {
        _summary.Add(7, _query);
        _summary.Remove(7, _query);
        return _summary.FaceCount;
    }

    /// <summary>The 10 nearest centroids, one TensorPrimitives distance per person (what an index would do without quantizing).</summary>
    private PersonCandidate[] ScanCentroids()
    {
        Span<float> best = stackalloc float[Nearest];
        Span<int> who = stackalloc int[Nearest];
        best.Fill(float.PositiveInfinity);
        for (var p = 0; p < _persons.Length; p++)
        {
            var d = TensorPrimitives.Distance(_query, _centroids.AsSpan(p * 128, 128));
            if (d >= best[Nearest - 1]) continue;
            var i = Nearest - 1;
            while (i > 0 && d < best[i - 1]) { best[i] = best[i - 1]; who[i] = who[i - 1]; i--; }
            (best[i], who[i]) = (d, p);
        }
        var candidates = new PersonCandidate[Nearest];
        for (var i = 0; i < Nearest; i++) candidates[i] = _summary.Candidate(_persons[who[i]], best[i]);
        return candidates;
    }

    private static float[] Random(Random rng, float sd)
    {
        var v = new float[128];
        for (var i = 0; i < v.Length; i++) v[i] = (float)((rng.NextDouble() * 2 - 1) * sd * Math.Sqrt(3));
        return v;
    }
}
