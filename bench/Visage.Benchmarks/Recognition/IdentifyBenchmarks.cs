using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Visage.Gallery.Search;
using Visage.Matching;
using Visage.Matching.OpenSet;
using Visage.Recognition;

namespace Visage.Benchmarks.Recognition;

/// <summary>
/// The decision per face through the real verb on a 10,000-face gallery (issue 19: under 1 ms): the default (the
/// open-set rule: the index's scan of every person's mean for the nearest ten, their weighing, the conclusion, the
/// confidence and the candidates) against the nearest-face rule the default was before, and what a write now costs
/// the index (the face, its person's mean and the open-set summary).
/// </summary>
[MemoryDiagnoser]
public class IdentifyBenchmarks
{
    private static readonly MatchingOptions NearestFace = new() { Mode = MatchMode.Nearest };
    private static readonly MatchingOptions ThreeCandidates = new() { OpenSet = new OpenSetOptions { Candidates = 3 } };
    private GalleryIndex _index = null!;
    private float[] _query = [];

    /// <summary>Faces enrolled per person (10,000 faces in all).</summary>
    [Params(1, 3)]
    public int FacesPerPerson { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(FacesPerPerson);
        _index = new GalleryIndex("bench", 10_000);
        var face = new float[128];
        var mean = new float[128];
        for (var f = 0; f < 10_000; f++)
        {
            // Persons' means about 0.7 apart, a person's faces about 0.4 from each other: the model's own scales.
            if (f % FacesPerPerson == 0) mean = Random(rng, 0.045f);
            TensorPrimitives.Add(mean, Random(rng, 0.026f), face);
            _index.Add(f, f / FacesPerPerson, "p", face);
        }
        _query = [.. mean];
        _query[0] += 0.05f; // near the last person
    }

    [GlobalCleanup]
    public void Cleanup() => _index.Dispose();

    [Benchmark(Baseline = true)]
    public Match NearestFaceAt048() => Recognizer.Identify(_index, _query, NearestFace);

    [Benchmark]
    public Match OpenSetDefault() => Recognizer.Identify(_index, _query);

    [Benchmark]
    public Match OpenSetThreeCandidates() => Recognizer.Identify(_index, _query, ThreeCandidates);

    [Benchmark]
    public int AddAndRemoveAFace()
    {
        _index.Add(-1, 7, "p", _query);
        _index.Remove(-1);
        return _index.Count;
    }

    private static float[] Random(Random rng, float sd)
    {
        var v = new float[128];
        for (var i = 0; i < v.Length; i++) v[i] = (float)((rng.NextDouble() * 2 - 1) * sd * Math.Sqrt(3));
        return v;
    }
}
