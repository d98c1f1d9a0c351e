using Visage.Gallery.Search;
using Visage.Gallery;
using Visage.Matching;
using Visage.Recognition;

namespace Visage.Evaluation;

/// <summary>Who is enrolled and who is asked about in an identification run.</summary>
/// <param name="Gallery">Photos enrolled (half of each known person's photos, rounded up).</param>
/// <param name="KnownProbes">The other photos of enrolled persons.</param>
/// <param name="StrangerProbes">Every photo of the persons left out of the gallery.</param>
/// <param name="Strangers">Indices of the persons left out.</param>
public sealed record IdentificationSplit(IReadOnlyList<int> Gallery, IReadOnlyList<int> KnownProbes, IReadOnlyList<int> StrangerProbes, IReadOnlyList<int> Strangers);

/// <summary>Open-set results of one decision rule at the calibrated threshold.</summary>
/// <param name="Mode">The decision rule.</param>
/// <param name="CorrectIdentificationRate">Share of known probes given their own name.</param>
/// <param name="StrangerRejectionRate">Share of stranger probes answered "unknown"; a stranger photo without a face counts as rejected (usual accounting).</param>
/// <param name="StrictStrangerRejectionRate">The same with a stranger photo without a face counted as an error.</param>
public sealed record OpenSetResult([property: System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<MatchMode>))] MatchMode Mode, double CorrectIdentificationRate, double StrangerRejectionRate, double StrictStrangerRejectionRate);

/// <summary>The identification protocol's figures.</summary>
/// <param name="GalleryPersons">Persons enrolled.</param>
/// <param name="GalleryFaces">Faces enrolled (gallery photos where a face was found).</param>
/// <param name="Strangers">Persons left out of the gallery.</param>
/// <param name="KnownProbes">Probe photos of enrolled persons.</param>
/// <param name="StrangerProbes">Probe photos of strangers.</param>
/// <param name="ProbesWithoutFace">Probe photos where no face was found (errors for known persons in both accountings).</param>
/// <param name="Rank1">Closed set: share of known probes whose own person is the nearest.</param>
/// <param name="Rank5">Closed set: share of known probes whose own person is among the five nearest persons.</param>
/// <param name="Threshold">The threshold the open-set decisions used (<see cref="IdentificationProtocol.CalibrateOpenSet"/>).</param>
/// <param name="Modes">Open-set results per decision rule.</param>
public sealed record IdentificationResult(
    int GalleryPersons, int GalleryFaces, int Strangers, int KnownProbes, int StrangerProbes, int ProbesWithoutFace,
    double Rank1, double Rank5, float Threshold, IReadOnlyList<OpenSetResult> Modes);

/// <summary>
/// Identification on a labeled set: per known person half the photos (rounded up, seeded) are enrolled and the rest
/// are probes; a share of persons is left out entirely as strangers. Rank-1/rank-5 are closed-set (the threshold
/// plays no part); the open-set rates decide with the real <see cref="GalleryIndex"/> and <see cref="MatchDecision"/>.
/// </summary>
public static class IdentificationProtocol
{
    /// <summary>The default share of persons left out as strangers.</summary>
    public const double DefaultStrangerShare = 0.25;

    /// <summary>Splits a dataset (seeded; the same seed gives the same split).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="strangerShare"/> is outside [0, 1).</exception>
    public static IdentificationSplit Split(FaceDataset dataset, double strangerShare = DefaultStrangerShare, int seed = PairSet.DefaultSeed)
    {
        if (!(strangerShare >= 0 && strangerShare < 1)) throw new ArgumentOutOfRangeException(nameof(strangerShare), strangerShare, "must be in [0, 1)");
        var rng = new Random(seed);
        var order = Enumerable.Range(0, dataset.Persons.Count).ToArray();
        rng.Shuffle(order);
        var strangers = order.Take((int)Math.Round(strangerShare * order.Length)).Order().ToArray();
        var isStranger = new bool[dataset.Persons.Count];
        foreach (var s in strangers) isStranger[s] = true;

        List<int> gallery = [], known = [], strange = [];
        for (var p = 0; p < dataset.Persons.Count; p++)
        {
            var photos = dataset.Persons[p].Photos.ToArray();
            if (isStranger[p]) { strange.AddRange(photos); continue; }
            rng.Shuffle(photos);
            var enrolled = (photos.Length + 1) / 2;
            gallery.AddRange(photos[..enrolled]);
            known.AddRange(photos[enrolled..]);
        }
        return new IdentificationSplit(gallery, known, strange, strangers);
    }

    /// <summary>Runs the protocol on descriptors computed beforehand.</summary>
    /// <param name="dataset">The dataset the split was made from.</param>
    /// <param name="split">Gallery and probes.</param>
    /// <param name="embeddings">Per photo of the dataset, its descriptor, or null when no face was found.</param>
    /// <param name="metric">The distance.</param>
    /// <param name="threshold">The threshold for the open-set decisions.</param>
    /// <param name="enrolled">The gallery photos' descriptors when another pipeline made them (default <paramref name="embeddings"/>).</param>
    public static IdentificationResult Evaluate(FaceDataset dataset, IdentificationSplit split, IReadOnlyList<float[]?> embeddings, DistanceMetric metric, float threshold,
        IReadOnlyList<float[]?>? enrolled = null)
    {
        enrolled ??= embeddings;
        using var index = new GalleryIndex("evaluation");
        var persons = new HashSet<int>();
        foreach (var g in split.Gallery)
        {
            if (enrolled[g] is not { } v) continue;
            var person = dataset.Photos[g].Person;
            index.Add(g, person, dataset.Persons[person].Name, v);
            persons.Add(person);
        }

        var modes = new[] { MatchMode.Nearest, MatchMode.Knn, MatchMode.Centroid };
        var correct = new int[modes.Length];
        var rejected = new int[modes.Length];
        int rank1 = 0, rank5 = 0, noFace = 0, strangersNoFace = 0;
        var neighbors = new Neighbor[Math.Max(1, index.Count)];
        var ranked = new List<long>();
        foreach (var probe in split.KnownProbes.Concat(split.StrangerProbes))
        {
            var stranger = split.Strangers.Contains(dataset.Photos[probe].Person);
            if (embeddings[probe] is not { } query)
            {
                noFace++;
                if (stranger) strangersNoFace++;
                continue;
            }
            var truth = dataset.Photos[probe].Person;
            if (!stranger)
            {
                var n = index.Nearest(query, metric, neighbors);
                ranked.Clear();
                for (var i = 0; i < n && ranked.Count < 5; i++)
                    if (!ranked.Contains(neighbors[i].PersonId)) ranked.Add(neighbors[i].PersonId);
                if (ranked.Count > 0 && ranked[0] == truth) rank1++;
                if (ranked.Contains(truth)) rank5++;
            }
            for (var m = 0; m < modes.Length; m++)
            {
                var match = Recognizer.Identify(index, query, new MatchingOptions { Mode = modes[m], Metric = metric, Threshold = threshold });
                if (stranger && !match.IsKnown) rejected[m]++;
                if (!stranger && match.PersonId == truth) correct[m]++;
            }
        }

        int knownCount = split.KnownProbes.Count, strangerCount = split.StrangerProbes.Count;
        var results = new OpenSetResult[modes.Length];
        for (var m = 0; m < modes.Length; m++)
            results[m] = new OpenSetResult(modes[m], Share(correct[m], knownCount),
                Share(rejected[m] + strangersNoFace, strangerCount), Share(rejected[m], strangerCount));
        return new IdentificationResult(persons.Count, index.Count, split.Strangers.Count, knownCount, strangerCount, noFace,
            Share(rank1, knownCount), Share(rank5, knownCount), threshold, results);
    }

    /// <summary>
    /// The open-set threshold: the one that maximizes the mean of the correct-identification rate and the
    /// stranger-rejection rate of the nearest-face rule, averaged over <paramref name="splits"/> (splits other than
    /// the one reported, so the threshold is not tuned on it). Candidates are midpoints between consecutive nearest
    /// distances; ties go to the median candidate.
    /// </summary>
    /// <param name="dataset">The dataset the splits were made from.</param>
    /// <param name="splits">The splits to calibrate on.</param>
    /// <param name="embeddings">Per photo, its descriptor, or null when no face was found.</param>
    /// <param name="metric">The distance.</param>
    /// <param name="enrolled">The gallery photos' descriptors when another pipeline made them (default <paramref name="embeddings"/>).</param>
    /// <exception cref="ArgumentException">No split given.</exception>
    public static float CalibrateOpenSet(FaceDataset dataset, IReadOnlyList<IdentificationSplit> splits, IReadOnlyList<float[]?> embeddings, DistanceMetric metric,
        IReadOnlyList<float[]?>? enrolled = null)
    {
        if (splits.Count == 0) throw new ArgumentException("need at least one split", nameof(splits));
        var outcomes = splits.Select(s => NearestOutcomes(dataset, s, embeddings, enrolled ?? embeddings, metric)).ToList();
        var distances = outcomes.SelectMany(o => o).Select(o => o.Distance).Where(float.IsFinite).Distinct().Order().ToList();
        if (distances.Count == 0) return 0;
        var candidates = new List<float> { distances[0] / 2 };
        for (var i = 0; i < distances.Count; i++)
            candidates.Add(i + 1 < distances.Count ? (distances[i] + distances[i + 1]) / 2 : distances[i] * 1.001f + 1e-4f);

        var best = double.MinValue;
        var ties = new List<float>();
        foreach (var t in candidates)
        {
            double score = 0;
            foreach (var o in outcomes) score += BalancedRate(o, t);
            if (score > best + 1e-12) { best = score; ties.Clear(); }
            if (Math.Abs(score - best) <= 1e-12) ties.Add(t);
        }
        return ties[ties.Count / 2];
    }

    /// <summary>Per probe of a split: its nearest gallery distance, whether that face is its own person, and whether it is a stranger.</summary>
    private static List<(float Distance, bool Right, bool Stranger)> NearestOutcomes(FaceDataset dataset, IdentificationSplit split, IReadOnlyList<float[]?> embeddings,
        IReadOnlyList<float[]?> enrolled, DistanceMetric metric)
    {
        using var index = new GalleryIndex("evaluation");
        foreach (var g in split.Gallery)
            if (enrolled[g] is { } v) index.Add(g, dataset.Photos[g].Person, dataset.Persons[dataset.Photos[g].Person].Name, v);
        var nearest = new Neighbor[1];
        var result = new List<(float, bool, bool)>();
        foreach (var probe in split.KnownProbes.Concat(split.StrangerProbes))
        {
            var stranger = split.Strangers.Contains(dataset.Photos[probe].Person);
            if (embeddings[probe] is not { } q || index.Nearest(q, metric, nearest) == 0) { result.Add((float.PositiveInfinity, false, stranger)); continue; }
            result.Add((nearest[0].Distance, nearest[0].PersonId == dataset.Photos[probe].Person, stranger));
        }
        return result;
    }

    private static double BalancedRate(List<(float Distance, bool Right, bool Stranger)> outcomes, float threshold)
    {
        int known = 0, identified = 0, strangers = 0, rejected = 0;
        foreach (var (d, right, stranger) in outcomes)
        {
            if (stranger) { strangers++; if (!(d < threshold)) rejected++; }
            else { known++; if (right && d < threshold) identified++; }
        }
        return ((known == 0 ? 1 : identified / (double)known) + (strangers == 0 ? 1 : rejected / (double)strangers)) / 2;
    }

    private static double Share(int n, int of) => of == 0 ? double.NaN : n / (double)of;
}
