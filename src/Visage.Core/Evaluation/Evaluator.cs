using Visage.Detection;
using Visage.Faces;
using Visage.Imaging;
using Visage.Matching;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Evaluation;

/// <summary>
/// Runs the verification and identification protocols for one or more <see cref="EvalVariant"/>s on a labeled set:
/// one subject face per photo (the largest, as <see cref="FaceAnalyzer.AnalyzeSubject"/> picks it), cached per image
/// hash and pipeline (<see cref="FaceAnalysisCache"/>),
/// then pure arithmetic over the descriptors. Variants that share a pipeline (e.g. Euclidean and cosine) share its faces.
/// </summary>
public sealed class Evaluator(ModelRepository models)
{
    /// <summary>Seeded splits (other than the reported one) the open-set threshold is calibrated on.</summary>
    public const int OpenSetCalibrationSplits = 5;

    /// <summary>Evaluates every variant on the same pairs and split.</summary>
    /// <exception cref="ArgumentException">No variant given.</exception>
    public EvalReport Run(FaceDataset dataset, PairSet pairs, IReadOnlyList<EvalVariant> variants, EvalSettings? settings = null, IProgress<EvalProgress>? progress = null)
    {
        if (variants.Count == 0) throw new ArgumentException("no variant to evaluate", nameof(variants));
        settings ??= new EvalSettings();
        var facesByPipeline = new Dictionary<string, PhotoSubject[]>();
        var reports = new List<VariantReport>(variants.Count);
        var split = IdentificationProtocol.Split(dataset, settings.StrangerShare, settings.Seed);
        PhotoSubject[] FacesOf(EvalVariant pipeline)
        {
            if (!facesByPipeline.TryGetValue(pipeline.PipelineKey, out var faces))
                facesByPipeline[pipeline.PipelineKey] = faces = Subjects(dataset, pipeline, settings, progress);
            return faces;
        }
        foreach (var v in variants)
        {
            var probes = FacesOf(v);
            var enrolled = v.EnrolledWith is { } e ? FacesOf(v with { Options = e, EnrolledWith = null }) : probes;
            reports.Add(Score(dataset, pairs, split, v, enrolled, probes, settings));
        }
        return new EvalReport(dataset.Root, dataset.Persons.Count, dataset.Photos.Count, pairs.Source, pairs.Pairs.Count,
            pairs.FoldCount, settings.ShuffleLabels, settings.Seed, reports);
    }

    /// <summary>
    /// The subject face of every photo under a variant's pipeline (the largest face, as
    /// <see cref="FaceAnalyzer.AnalyzeSubject"/> chooses it), from the <see cref="FaceAnalysisCache"/> where possible.
    /// </summary>
    public PhotoSubject[] Subjects(FaceDataset dataset, EvalVariant variant, EvalSettings settings, IProgress<EvalProgress>? progress)
    {
        var cache = settings.CacheDirectory is { } dir ? new FaceAnalysisCache(dir) : null;
        var decoder = new ImageDecoder(settings.Imaging);
        using var analyzer = new FaceAnalyzer(variant.Options, models);
        var result = new PhotoSubject[dataset.Photos.Count];
        var cached = 0;
        for (var i = 0; i < result.Length; i++)
        {
            var path = dataset.Photos[i].Path;
            try
            {
                IReadOnlyList<Face> faces;
                if (cache is null) faces = analyzer.Analyze(decoder.DecodeFile(path), seekSubject: true).Faces;
                else
                {
                    var analysis = cache.Analyze(analyzer, decoder, path);
                    if (analysis.FromCache) cached++;
                    faces = analysis.Faces;
                }
                result[i] = FaceFinder.Largest(faces) is { } subject ? PhotoSubject.Of(subject, faces.Count) : new PhotoSubject(0);
            }
            catch (ImageDecodeException e)
            {
                result[i] = new PhotoSubject(0, Error: e.Message);
            }
            progress?.Report(new EvalProgress(variant.Name, i + 1, result.Length, cached));
        }
        return result;
    }

    /// <summary>
    /// The variant's figures. A pair compares its first photo's <paramref name="enrolledFaces"/> descriptor with its second's
    /// probe descriptor, and identification enrolls <paramref name="enrolledFaces"/>: the same array unless the
    /// variant has <see cref="EvalVariant.EnrolledWith"/>.
    /// </summary>
    private static VariantReport Score(FaceDataset dataset, PairSet pairs, IdentificationSplit split, EvalVariant v, PhotoSubject[] enrolledFaces, PhotoSubject[] faces, EvalSettings settings)
    {
        var embeddings = Embeddings(faces, settings);
        var enrolled = ReferenceEquals(enrolledFaces, faces) ? embeddings : Embeddings(enrolledFaces, settings);

        var n = pairs.Pairs.Count;
        var distances = new float[n];
        var same = new bool[n];
        var folds = new int[n];
        var withoutFace = 0;
        List<float> sameD = [], differentD = [];
        for (var i = 0; i < n; i++)
        {
            var p = pairs.Pairs[i];
            (same[i], folds[i]) = (p.Same, p.Fold);
            if (enrolled[p.A] is not { } a || embeddings[p.B] is not { } b)
            {
                distances[i] = float.PositiveInfinity;
                withoutFace++;
                continue;
            }
            distances[i] = FaceDistance.Compute(v.Metric, a, b);
            (p.Same ? sameD : differentD).Add(distances[i]);
        }

        var metrics = new VerificationMetrics(distances, same);
        var cv = CrossValidation.Run(distances, same, folds, pairs.FoldCount);
        var (threshold, accuracy) = metrics.BestThreshold();
        var verification = new VerificationReport(n, withoutFace, cv.MeanAccuracy, cv.StdAccuracy, cv.MeanStrictAccuracy, cv.StdStrictAccuracy,
            metrics.Auc(), metrics.EqualErrorRate(), metrics.TarAtFar(1e-2), metrics.TarAtFar(1e-3),
            threshold, accuracy, metrics.FalseAcceptRate(threshold), metrics.TrueAcceptRate(threshold),
            cv.MeanThreshold, Stats.Std(Array.ConvertAll(cv.Thresholds, t => (double)t)));

        var stages = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var missing = new List<string>();
        for (var i = 0; i < faces.Length; i++)
        {
            if (faces[i].Stage is { } s) stages[s] = stages.GetValueOrDefault(s) + 1;
            else missing.Add(dataset.Photos[i].Name);
        }

        var calibration = new IdentificationSplit[OpenSetCalibrationSplits];
        for (var k = 0; k < calibration.Length; k++) calibration[k] = IdentificationProtocol.Split(dataset, settings.StrangerShare, settings.Seed + 1 + k);
        var openSet = IdentificationProtocol.CalibrateOpenSet(dataset, calibration, embeddings, v.Metric, enrolled);
        return new VariantReport(v.Name, v.Description, v.ModelId, v.Metric.ToString().ToLowerInvariant(), missing, stages,
            verification with { OpenSetThreshold = openSet, OpenSetFar = metrics.FalseAcceptRate(openSet), OpenSetTar = metrics.TrueAcceptRate(openSet) },
            IdentificationProtocol.Evaluate(dataset, split, embeddings, v.Metric, openSet, enrolled),
            Worst(dataset, pairs, distances, threshold, falseAccepts: true, settings.WorstPairs),
            Worst(dataset, pairs, distances, threshold, falseAccepts: false, settings.WorstPairs))
        {
            SameDistances = [.. sameD],
            DifferentDistances = [.. differentD],
            Roc = metrics.Roc(),
            Faces = faces,
        };
    }

    /// <summary>Each photo's subject descriptor, shuffled (with the same seed, so two arrays get the same order) for the sanity check.</summary>
    private static float[]?[] Embeddings(PhotoSubject[] faces, EvalSettings settings)
    {
        var embeddings = Array.ConvertAll(faces, f => f.Embedding);
        if (settings.ShuffleLabels) new Random(settings.Seed).Shuffle(embeddings);
        return embeddings;
    }

    /// <summary>False accepts (different pairs under the threshold, closest first) or false rejects (same pairs at or over it, farthest first; unscored pairs excluded).</summary>
    private static List<PairError> Worst(FaceDataset dataset, PairSet pairs, float[] distances, float threshold, bool falseAccepts, int count)
    {
        var errors = new List<PairError>();
        for (var i = 0; i < distances.Length; i++)
        {
            var p = pairs.Pairs[i];
            var wrong = falseAccepts ? !p.Same && distances[i] < threshold : p.Same && distances[i] >= threshold && float.IsFinite(distances[i]);
            if (wrong) errors.Add(new PairError(dataset.Photos[p.A].Name, dataset.Photos[p.B].Name, p.Same, distances[i]));
        }
        errors.Sort((x, y) => falseAccepts ? x.Distance.CompareTo(y.Distance) : y.Distance.CompareTo(x.Distance));
        return errors.Count > count ? errors.GetRange(0, count) : errors;
    }
}
