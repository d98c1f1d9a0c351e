using System.CommandLine;
using System.Globalization;
using Visage.Cli;
using Visage.Embedding;
using Visage.Imaging;
using Visage.Pipeline;
using Visage.Training.Data;
using Visage.Training.Loss;
using Visage.Training.Network;
using Visage.Training.Reporting;
using Visage.Training;

namespace Visage.Commands;

/// <summary>
/// <c>visage train-head DIR</c>: trains a projection head with triplet loss on a folder of people (one subfolder per
/// person), or with <c>--folds K</c> measures whether a head helps on people it was not trained on.
/// </summary>
internal static class TrainHeadCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "Folder with one subfolder of photos per person" };
        var output = new Option<string>("--out") { Description = "Where to write the head", DefaultValueFactory = _ => "head.json" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var defaults = new TrainingOptions();
        var epochs = new Option<int>("--epochs") { Description = "Most epochs to run", DefaultValueFactory = _ => defaults.MaxEpochs };
        var patience = new Option<int>("--patience") { Description = "Stop after this many epochs without a better validation loss", DefaultValueFactory = _ => defaults.Patience };
        var margin = new Option<float>("--margin") { Description = "Triplet margin on squared distances", DefaultValueFactory = _ => defaults.Margin };
        var mining = new Option<string>("--mining") { Description = "semi-hard or batch-hard", DefaultValueFactory = _ => "semi-hard" };
        mining.AcceptOnlyFromAmong("semi-hard", "batch-hard");
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer widths", DefaultValueFactory = _ => string.Join(',', defaults.Architecture.Hidden) };
        var plainMlp = new Option<bool>("--no-residual") { Description = "Plain MLP: do not add the descriptor to the head's output" };
        var learningRate = new Option<float>("--learning-rate") { Description = "Adam step size", DefaultValueFactory = _ => defaults.LearningRate };
        var weightDecay = new Option<float>("--weight-decay") { Description = "Decoupled weight decay", DefaultValueFactory = _ => defaults.WeightDecay };
        var validation = new Option<double>("--validation") { Description = "Share of the people kept apart for early stopping and the threshold", DefaultValueFactory = _ => defaults.ValidationFraction };
        var seed = new Option<int>("--seed") { Description = "Seed of the initialization, split and batches", DefaultValueFactory = _ => 0 };
        var folds = new Option<int>("--folds") { Description = "Instead of writing a head: K-fold cross-validation over people, with and without the head", DefaultValueFactory = _ => 0 };
        var pipeline = new PipelineOptions();
        var batch = new PhotoBatch();
        var command = new Command("train-head", "Train a projection head on your own people with triplet loss (frozen backbone)")
        {
            folder, output, json, epochs, patience, margin, mining, hidden, plainMlp, learningRate, weightDecay, validation, seed, folds,
        };
        pipeline.AddTo(command, withHead: false);
        batch.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            int[] widths;
            try { widths = HeadArchitecture.ParseHidden(r.GetValue(hidden)!); }
            catch (FormatException e) { throw new CliException(ExitCodes.Usage, e.Message); }
            var options = new TrainingOptions
            {
                Architecture = new HeadArchitecture(widths, Residual: !r.GetValue(plainMlp)),
                Margin = r.GetValue(margin),
                Mining = r.GetValue(mining) == "batch-hard" ? MiningStrategy.BatchHard : MiningStrategy.SemiHard,
                LearningRate = r.GetValue(learningRate),
                WeightDecay = r.GetValue(weightDecay),
                MaxEpochs = r.GetValue(epochs),
                Patience = r.GetValue(patience),
                ValidationFraction = r.GetValue(validation),
                Seed = r.GetValue(seed),
            };
            options.Validate();

            var set = Describe(r, r.GetValue(folder)!, pipeline, batch);
            if (set.Data.Identities < 2) throw new CliException(ExitCodes.Usage, $"training needs photos of at least two people with a face found; got {set.Data.Identities}");
            try
            {
                return r.GetValue(folds) is > 0 and var k
                    ? CrossValidate(set, k, options, r.GetValue(json))
                    : Train(set, options, r.GetValue(output)!, r.GetValue(json));
            }
            catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
            {
                throw new CliException(ExitCodes.Usage, e.Message); // e.g. no two people with two photos
            }
        }));
        return command;
    }

    private static TrainingPhotos Describe(ParseResult r, string folder, PipelineOptions pipeline, PhotoBatch batch)
    {
        var photos = PhotoFolder.People(folder);
        using var analyzer = new FaceAnalyzer(pipeline.Analyzer(r));
        var (analyses, _) = batch.Analyze(r, photos.Select(p => p.Path).ToList(), analyzer, pipeline.Decoder(r), "finding faces");
        var byPath = analyses.ToDictionary(a => a.Path);
        return TrainingPhotos.Describe(photos.Where(p => byPath.ContainsKey(p.Path)).ToList(), p => byPath[p], analyzer.ModelId);
    }

    private static int Train(TrainingPhotos set, TrainingOptions options, string path, bool json)
    {
        var (trainRows, validationRows) = IdentitySplit.Split(set.Data.Labels, options.ValidationFraction, options.Seed);
        var train = set.Data.Select(trainRows);
        var validation = set.Data.Select(validationRows);
        var result = ProgressBar.Run("training", options.MaxEpochs, step => HeadTrainer.Train(train, validation, options, e => { if (e.Epoch > 0) step(); }));

        // The threshold comes from people the head did not train on, when there are enough of them.
        var calibration = validation.Identities >= 2 ? validation : train;
        var threshold = PairScores.Of(HeadTrainer.Project(result.Network, calibration)).BestBalancedThreshold().Threshold;
        var best = result.History[result.BestEpoch];
        var metadata = new Dictionary<string, string>
        {
            ["architecture"] = options.Architecture.ToString(),
            ["people"] = $"{train.Identities} trained, {validation.Identities} validation",
            ["photos"] = $"{train.Count} trained, {validation.Count} validation",
            ["margin"] = options.Margin.ToString(CultureInfo.InvariantCulture),
            ["mining"] = options.Mining.ToString(),
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            ["bestEpoch"] = $"{result.BestEpoch} of {result.Epochs}",
            ["validationLoss"] = best.ValidationLoss?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "none",
            ["thresholdFrom"] = ReferenceEquals(calibration, validation) ? "validation people" : "training people (optimistic)",
        };
        var head = result.Network.Export(set.ModelId, threshold, metadata);
        ProjectionHeadFile.Save(head, path);

        if (json)
        {
            JsonOutput.Print(new
            {
                path,
                modelId = head.ModelId,
                baseModelId = head.BaseModelId,
                parameters = head.ParameterCount,
                threshold,
                trainPeople = train.Identities,
                trainPhotos = train.Count,
                validationPeople = validation.Identities,
                validationPhotos = validation.Count,
                photosWithoutFace = set.WithoutFace.Select(p => p.Path),
                bestEpoch = result.BestEpoch,
                epochs = result.Epochs,
                stoppedEarly = result.StoppedEarly,
                history = result.History.Select(e => new { epoch = e.Epoch, trainLoss = Finite(e.TrainLoss), activeFraction = Finite(e.ActiveFraction), validationLoss = e.ValidationLoss }),
            });
            return ExitCodes.Ok;
        }
        Console.WriteLine($"{set.Data.Count} photo(s) of {set.Data.Identities} people ({set.WithoutFace.Count} without a face): training on {train.Identities}, validating on {validation.Identities}");
        Console.WriteLine($"best epoch {result.BestEpoch} of {result.Epochs}{(result.StoppedEarly ? " (stopped early)" : "")}, validation loss {best.ValidationLoss?.ToString("0.0000") ?? "-"} (untrained {result.History[0].ValidationLoss?.ToString("0.0000") ?? "-"})");
        Console.WriteLine($"wrote {path}: {head.ModelId}, {head.ParameterCount:N0} parameters, threshold {threshold:0.000}");
        Console.WriteLine("check it helps on people it never saw with --folds 4 before using --head; re-embed a gallery with 'visage gallery reembed --head'");
        return ExitCodes.Ok;
    }

    private static int CrossValidate(TrainingPhotos set, int folds, TrainingOptions options, bool json)
    {
        var reports = ProgressBar.Run("cross-validating", folds, step => HeadCrossValidation.Run(set.Data, folds, options, _ => step()));
        var (plain, head) = HeadCrossValidation.Mean(reports);
        if (json)
        {
            JsonOutput.Print(new { people = set.Data.Identities, photos = set.Data.Count, folds = reports, mean = new { plain, head } });
            return ExitCodes.Ok;
        }
        Console.WriteLine($"{folds}-fold cross-validation over {set.Data.Identities} people ({set.Data.Count} photos): each fold's people never trained the head measured on them");
        Console.WriteLine("fold people genuine impostor |  plain: TAR@1%  TAR@0.1%  pair acc |   head: TAR@1%  TAR@0.1%  pair acc | best epoch");
        foreach (var f in reports)
            Console.WriteLine($"{f.Fold,4} {f.TestIdentities,6} {f.GenuinePairs,7} {f.ImpostorPairs,8} | {Row(f.Plain)} | {Row(f.Head)} | {f.BestEpoch,5}");
        Console.WriteLine($"mean                        | {Row(plain)} | {Row(head)} |");
        Console.WriteLine(head.PairAccuracy > plain.PairAccuracy && head.TarAtFar1 >= plain.TarAtFar1
            ? "the head helps on unseen people here"
            : "the head does not help on unseen people here: keep it off");
        return ExitCodes.Ok;
    }

    private static string Row(VerificationNumbers n) => $"        {n.TarAtFar1,6:0.000}  {n.TarAtFar01,8:0.000}  {n.PairAccuracy,8:0.000}";

    private static float? Finite(float v) => float.IsFinite(v) ? v : null;
}
