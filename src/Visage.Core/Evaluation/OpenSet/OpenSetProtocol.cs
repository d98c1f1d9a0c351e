using System.Globalization;
using Visage.Gallery.Search;
using Visage.Matching;
using Visage.Matching.OpenSet;
using Visage.Recognition;

namespace Visage.Evaluation.OpenSet;

/// <summary>
/// Open-set identification the way people enroll, with calibration and test kept apart: each round holds out half
/// of the persons, fits the <see cref="OpenSetModel"/> on the other half only, and deals galleries (K faces for G
/// persons, a fifth of the held-out persons as strangers) from the held-out persons alone, so every figure is measured
/// on persons the fit never saw. Pure arithmetic over descriptors, seeded.
/// </summary>
public static class OpenSetProtocol
{
    /// <summary>Runs every round and cell.</summary>
    /// <param name="dataset">The labeled photos.</param>
    /// <param name="embeddings">The subject descriptor of each photo (null: no face found).</param>
    /// <param name="frames">Per photo, extra descriptors of the same face (flips, crops) for the frames comparison; null to skip it.</param>
    /// <param name="settings">How to deal.</param>
    /// <param name="modelId">The descriptor model.</param>
    /// <exception cref="ArgumentException">Too few persons to hold out and still calibrate, or fewer than one round or deal.</exception>
    public static OpenSetReport Run(FaceDataset dataset, IReadOnlyList<float[]?> embeddings, IReadOnlyList<float[]?[]>? frames, OpenSetSettings settings, string modelId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Rounds, 1, nameof(settings.Rounds));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.DealsPerCell, 1, nameof(settings.DealsPerCell));
        var personCount = dataset.Persons.Count;
        var heldOut = (int)Math.Round(personCount * settings.HeldOutShare);
        var strangers = Math.Max(1, (int)Math.Round(heldOut * settings.StrangerShare));
        if (heldOut - strangers < 2 || personCount - heldOut < OpenSetCalibration.MinimumPersons)
            throw new ArgumentException($"{personCount} persons are too few to hold {heldOut} out ({strangers} strangers) and calibrate on the rest");

        var photosOf = dataset.Persons.Select(p => p.Photos.ToArray()).ToArray();
        var withFace = photosOf.Select(photos => photos.Where(i => embeddings[i] is not null).ToArray()).ToArray();
        var cells = Cells(settings);
        var tallies = cells.ToDictionary(c => c, _ => new CellTally(settings.OperatingPoints.Count));
        var frameTallies = frames is null ? [] : settings.FrameCounts.ToDictionary(m => m, _ => new CellTally(0));
        var roundModels = new List<OpenSetModel>();

        for (var round = 0; round < settings.Rounds; round++)
        {
            var rng = new Random(settings.Seed * 1000 + round);
            var (calibration, held) = OpenSetDealer.Split(personCount, heldOut, rng);
            var model = OpenSetCalibration.Fit(Labeled(dataset, embeddings, calibration), modelId, seed: round);
            roundModels.Add(model);
            var rule = new OpenSetRule(model, new OpenSetOptions { StrangerPrior = settings.StrangerPrior });
            foreach (var tally in tallies.Values.Concat(frameTallies.Values)) tally.NextRound();
            foreach (var (faces, gallery) in cells)
                for (var d = 0; d < settings.DealsPerCell; d++)
                {
                    if (OpenSetDealer.Deal(withFace, photosOf, held, strangers, faces, gallery, rng) is not { } deal) continue;
                    using var scorer = new DealScorer(dataset, embeddings, deal, rule, model, settings);
                    scorer.Score(tallies[(faces, gallery)]);
                    if (faces == OpenSetDealer.Half && frames is not null)
                        foreach (var (m, tally) in frameTallies) scorer.ScoreFrames(tally, frames, m);
                }
        }

        var all = OpenSetCalibration.Fit(Labeled(dataset, embeddings, Enumerable.Range(0, personCount).ToArray()), modelId);
        var results = cells.Where(c => tallies[c].Deals > 0).Select(c => Summarize(c, tallies[c], settings)).ToList();
        var target = tallies[(OpenSetDealer.Half, OpenSetDealer.All)];
        return new OpenSetReport(dataset.Root, personCount, dataset.Photos.Count, embeddings.Count(e => e is null), settings, heldOut, strangers,
            all, Describe(roundModels, personCount - heldOut), results,
            OpenSetMetrics.Calibration(tallies.Values.SelectMany(t => t.Answers).ToList()),
            OpenSetMetrics.Calibration(target.Answers),
            [.. frameTallies.Select(f => new FramesResult(f.Key, f.Value.Rate(CellTally.NamedColumn, CellTally.KnownColumn),
                f.Value.Rate(CellTally.WrongColumn, CellTally.KnownColumn), f.Value.Rate(CellTally.StrangerNamedColumn, CellTally.StrangerColumn)))]);
    }

    /// <summary>Every (K, G) cell, each K also with all qualifying persons, and the "half" cell last.</summary>
    private static List<(int Faces, int Gallery)> Cells(OpenSetSettings settings)
    {
        var cells = new List<(int, int)>();
        foreach (var k in settings.FacesPerPerson)
        {
            foreach (var g in settings.GallerySizes) cells.Add((k, g));
            cells.Add((k, OpenSetDealer.All));
        }
        cells.Add((OpenSetDealer.Half, OpenSetDealer.All));
        return cells;
    }

    private static List<(long PersonId, float[] Vector)> Labeled(FaceDataset dataset, IReadOnlyList<float[]?> embeddings, int[] persons)
    {
        var faces = new List<(long, float[])>();
        foreach (var p in persons)
            foreach (var photo in dataset.Persons[p].Photos)
                if (embeddings[photo] is { } v) faces.Add((p, v));
        return faces;
    }

    private static OpenSetCell Summarize((int Faces, int Gallery) cell, CellTally t, OpenSetSettings settings)
    {
        var strangersNamed = t.Rate(CellTally.StrangerNamedColumn, CellTally.StrangerColumn);
        int known = t.Total(CellTally.KnownColumn), strangers = t.Total(CellTally.StrangerColumn);
        var curve = settings.OperatingPoints.Select((a, i) => new CurvePoint(a, Share(t.CurveNamed[i], known), Share(t.CurveStrangersNamed[i], strangers))).ToList();
        return new OpenSetCell(cell.Faces, cell.Gallery, t.Deals == 0 ? 0 : t.GalleryPersons / t.Deals, t.Deals, known, strangers,
            t.Rate(CellTally.NamedColumn, CellTally.KnownColumn), t.Rate(CellTally.WrongColumn, CellTally.KnownColumn), strangersNamed,
            Share(t.Total(CellTally.TooCloseColumn), known + strangers),
            OpenSetMetrics.OracleNamed(t.KnownNearest, t.StrangerNearest, settings.TargetFalseAcceptRate),
            OpenSetMetrics.OracleNamed(t.KnownNearest, t.StrangerNearest, strangersNamed.Value),
            Share(t.FixedNamed, known), Share(t.FixedStrangersNamed, strangers),
            curve, OpenSetMetrics.OracleCurve(t.KnownNearest, t.StrangerNearest));
    }

    private static string Describe(List<OpenSetModel> models, int calibrationPersons)
    {
        static string MeanStd(IEnumerable<double> values)
        {
            var v = values.ToList();
            var mean = v.Average();
            return string.Create(CultureInfo.InvariantCulture, $"{mean:0.000} ± {Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Count):0.000}");
        }
        return $"{models.Count} fits on {calibrationPersons} persons each: stranger distance for one face, location {MeanStd(models.Select(m => m.StrangerLocation[0]))}, " +
            $"scale {MeanStd(models.Select(m => m.StrangerScale[0]))}; within-person variance {MeanStd(models.Select(m => m.WithinVariance))}";
    }

    private static double Share(int n, int of) => of == 0 ? double.NaN : n / (double)of;

    /// <summary>
    /// Scores the probes of one deal against its gallery, held in a <see cref="GalleryIndex"/> and decided by
    /// <see cref="Recognizer.Identify(GalleryIndex, ReadOnlySpan{float}, MatchingOptions?)"/>: the code path of the
    /// service and the CLI, so the figures describe the product. The curves conclude the same search's weighing at
    /// other operating points.
    /// </summary>
    private sealed class DealScorer : IDisposable
    {
        private readonly FaceDataset _dataset;
        private readonly IReadOnlyList<float[]?> _embeddings;
        private readonly GalleryDeal _deal;
        private readonly OpenSetRule _rule;
        private readonly OpenSetSettings _settings;
        private readonly GalleryIndex _index;
        private readonly MatchingOptions _options;
        private readonly MatchingOptions _fixed;

        public DealScorer(FaceDataset dataset, IReadOnlyList<float[]?> embeddings, GalleryDeal deal, OpenSetRule rule, OpenSetModel model, OpenSetSettings settings)
        {
            (_dataset, _embeddings, _deal, _rule, _settings) = (dataset, embeddings, deal, rule, settings);
            _index = new GalleryIndex(model.ModelId, deal.Enrolled.Sum(e => e.Length));
            long faceId = 0;
            for (var i = 0; i < deal.Persons.Length; i++)
                foreach (var photo in deal.Enrolled[i])
                    _index.Add(faceId++, deal.Persons[i], dataset.Persons[deal.Persons[i]].Name, embeddings[photo]);
            _options = new MatchingOptions { Model = model, OpenSet = rule.Options with { TargetFalseAcceptRate = settings.TargetFalseAcceptRate } };
            _fixed = new MatchingOptions { Mode = MatchMode.Nearest, Threshold = settings.FixedThreshold };
        }

        public void Dispose() => _index.Dispose();

        public void Score(CellTally tally)
        {
            tally.Deals++;
            tally.GalleryPersons += _deal.Persons.Length;
            foreach (var (photo, stranger) in Probes())
            {
                var truth = _dataset.Photos[photo].Person;
                if (_embeddings[photo] is not { } q)
                {
                    if (stranger) { tally.Stranger(null); tally.StrangerNearest.Add(double.PositiveInfinity); }
                    else { tally.Known(null, truth); tally.KnownNearest.Add((double.PositiveInfinity, false)); }
                    continue;
                }
                var match = Recognizer.Identify(_index, q, _options);
                var nearby = _index.NearestPersons(q, Recognizer.SearchedPersons);
                var nearest = nearby.Candidates[0];
                var fixedMatch = Recognizer.Identify(_index, q, _fixed);
                if (stranger)
                {
                    tally.Stranger(match);
                    tally.StrangerNearest.Add(nearest.Distance);
                    if (fixedMatch.IsKnown) tally.FixedStrangersNamed++;
                }
                else
                {
                    tally.Known(match, truth);
                    tally.KnownNearest.Add((nearest.Distance, nearest.PersonId == truth));
                    if (fixedMatch.PersonId == truth) tally.FixedNamed++;
                }
                var assessment = _rule.Assess(nearby.Candidates, nearby.Statistics);
                for (var i = 0; i < _settings.OperatingPoints.Count; i++)
                {
                    var d = _rule.Conclude(assessment, _settings.OperatingPoints[i]);
                    if (stranger && d.IsKnown) tally.CurveStrangersNamed[i]++;
                    if (!stranger && d.PersonId == truth) tally.CurveNamed[i]++;
                }
            }
        }

        /// <summary>The same probes with the first <paramref name="count"/> available descriptors of each photo averaged, as the verb averages a burst.</summary>
        public void ScoreFrames(CellTally tally, IReadOnlyList<float[]?[]> frames, int count)
        {
            foreach (var (photo, stranger) in Probes())
            {
                var truth = _dataset.Photos[photo].Person;
                var descriptors = frames[photo].Prepend(_embeddings[photo]).OfType<float[]>().Take(count).ToList();
                var match = descriptors.Count > 0 ? Recognizer.Identify(_index, ProbeDescriptors.Average(descriptors), _options) : null;
                if (stranger) tally.Stranger(match);
                else tally.Known(match, truth);
            }
        }

        private IEnumerable<(int Photo, bool Stranger)> Probes() =>
            _deal.KnownProbes.Select(p => (p, false)).Concat(_deal.StrangerProbes.Select(p => (p, true)));
    }
}
