using Visage.Embedding;
using Visage.Training.Data;
using Visage.Training.Loss;
using Visage.Training.Network;
using Visage.Training.Reporting;

namespace Visage.Training.Tests;

public sealed class TrainingTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-training-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static readonly TrainingOptions Small = new()
    {
        Architecture = new HeadArchitecture([64], Residual: false),
        MaxEpochs = 60,
        Patience = 60,
        LearningRate = 3e-3f,
    };

    [Fact]
    public void Training_on_synthetic_clusters_separates_them()
    {
        var train = Synthetic.Clusters(identities: 12, perIdentity: 6, seed: 1);
        var before = PairScores.Of(train);

        var result = HeadTrainer.Train(train, null, Small);
        var after = PairScores.Of(HeadTrainer.Project(result.Network, train));

        Assert.True(before.BestBalancedThreshold().Accuracy < 0.9, "the task should be hard for plain distances");
        Assert.True(after.BestBalancedThreshold().Accuracy > 0.99, $"after training: {after.BestBalancedThreshold().Accuracy}");
        Assert.True(result.History[^1].TrainLoss < result.History[1].TrainLoss / 4);
    }

    [Fact]
    public void A_residual_head_generalizes_to_identities_it_never_saw_on_synthetic_data()
    {
        var all = Synthetic.Clusters(identities: 80, perIdentity: 6, seed: 2, noise: 0.15f);
        var (trainRows, testRows) = IdentitySplit.Split(all.Labels, 0.3, seed: 0);
        var test = all.Select(testRows);

        var result = HeadTrainer.Train(all.Select(trainRows), null, new TrainingOptions
        {
            Architecture = new HeadArchitecture([64], Residual: true),
            MaxEpochs = 150,
        });

        var plain = PairScores.Of(test);
        var head = PairScores.Of(HeadTrainer.Project(result.Network, test));
        Assert.True(head.TarAtFar(1e-2) > plain.TarAtFar(1e-2) + 0.1, $"head {head.TarAtFar(1e-2)} vs plain {plain.TarAtFar(1e-2)}");
    }

    [Fact]
    public void Training_is_deterministic_for_a_seed()
    {
        var train = Synthetic.Clusters(6, 4, seed: 3);
        var options = Small with { MaxEpochs = 5 };

        var a = HeadTrainer.Train(train, null, options);
        var b = HeadTrainer.Train(train, null, options);

        Assert.Equal(a.Network.Parameters.Values, b.Network.Parameters.Values);
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch_and_stops_after_the_patience()
    {
        var all = Synthetic.Clusters(16, 5, seed: 4);
        var (trainRows, validationRows) = IdentitySplit.Split(all.Labels, 0.25, seed: 1);
        var options = Small with { MaxEpochs = 400, Patience = 5, LearningRate = 1e-2f };

        var result = HeadTrainer.Train(all.Select(trainRows), all.Select(validationRows), options);

        Assert.True(result.StoppedEarly);
        Assert.Equal(result.BestEpoch + options.Patience, result.Epochs);
        var best = result.History[result.BestEpoch].ValidationLoss!.Value;
        Assert.All(result.History, e => Assert.True(e.ValidationLoss >= best));
        // The restored network is the best epoch's: its validation loss is the best one.
        var projected = HeadTrainer.Project(result.Network, all.Select(validationRows));
        var loss = new TripletLoss(options.Margin, MiningStrategy.All).Compute(projected.Vectors, projected.Dimensions, projected.Labels, []);
        Assert.Equal(best, loss.Loss, 4);
    }

    [Fact]
    public void Train_export_load_gives_the_same_outputs()
    {
        var data = Synthetic.Clusters(8, 4, seed: 5);
        var result = HeadTrainer.Train(data, null, new TrainingOptions { MaxEpochs = 3 });
        var path = Path.Combine(_dir.FullName, "head.json");

        ProjectionHeadFile.Save(result.Network.Export("base-model", threshold: 0.7f), path);
        var head = ProjectionHeadFile.Load(path);

        var expected = HeadTrainer.Project(result.Network, data);
        var output = new float[Synthetic.D];
        for (var i = 0; i < data.Count; i++)
        {
            head.Apply(data[i], output);
            for (var k = 0; k < output.Length; k++) Assert.Equal(expected[i][k], output[k], 5);
        }
        Assert.Equal("base-model", head.BaseModelId);
        Assert.True(head.Residual);
    }

    [Fact]
    public void Identity_split_and_folds_never_share_a_person()
    {
        var labels = Synthetic.Clusters(10, 3, seed: 6).Labels;

        var (a, b) = IdentitySplit.Split(labels, 0.2, seed: 3);
        var folds = IdentitySplit.Folds(labels, 3, seed: 3);

        Assert.Empty(a.Select(i => labels[i]).Intersect(b.Select(i => labels[i])));
        Assert.Equal(2, b.Select(i => labels[i]).Distinct().Count());
        Assert.Equal(30, a.Length + b.Length);
        for (var i = 0; i < labels.Length; i++)
            for (var j = 0; j < labels.Length; j++)
                if (labels[i] == labels[j]) Assert.Equal(folds[i], folds[j]);
        var again = IdentitySplit.Split(labels, 0.2, seed: 3);
        Assert.Equal(a, again.First);
        Assert.Equal(b, again.Second);
    }

    [Fact]
    public void Batches_hold_several_identities_with_several_photos_each()
    {
        var labels = new[] { 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 3, 4, 4, 5, 5 }; // identity 3 has one photo
        var sampler = new BatchSampler(labels, identitiesPerBatch: 2, perIdentity: 4, new Random(1));

        var batches = sampler.Epoch().ToList();

        Assert.Equal(2, batches.Count); // 5 usable identities: 2 + 3
        Assert.All(batches, b => Assert.True(b.Select(i => labels[i]).Distinct().Count() >= 2));
        Assert.All(batches, b => Assert.All(b.GroupBy(i => labels[i]), g => Assert.InRange(g.Count(), 2, 4)));
        Assert.DoesNotContain(batches.SelectMany(b => b), i => labels[i] == 3);
    }

    [Fact]
    public void Pair_scores_on_hand_made_distances()
    {
        // Person 0 at 0 and 1, person 1 at 3 and 3.5 on one axis: genuine 1, 0.5; impostor 3, 3.5, 2, 2.5.
        var data = new LabeledVectors([0, 1, 3, 3.5f], [0, 0, 1, 1], 1);

        var scores = PairScores.Of(data);

        Assert.Equal((2, 4), (scores.SameCount, scores.DifferentCount));
        Assert.Equal(1.0, scores.BestBalancedThreshold().Accuracy);
        Assert.InRange(scores.BestBalancedThreshold().Threshold, 1f, 2f);
        Assert.Equal(0.875, scores.BalancedAccuracy(2.2f)); // all genuine accepted, one impostor of four accepted
        Assert.Equal(1.0, scores.TarAtFar(0));
    }

    [Fact]
    public void Cross_validation_reports_every_fold()
    {
        var data = Synthetic.Clusters(12, 4, seed: 7);

        var folds = HeadCrossValidation.Run(data, 3, Small with { MaxEpochs = 20 });

        Assert.Equal(3, folds.Count);
        Assert.Equal(12, folds.Sum(f => f.TestIdentities));
        var (plain, head) = HeadCrossValidation.Mean(folds);
        Assert.InRange(plain.PairAccuracy, 0, 1);
        Assert.InRange(head.PairAccuracy, 0, 1);
    }
}
