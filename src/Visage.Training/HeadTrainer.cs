using Visage.Training.Data;
using Visage.Training.Loss;
using Visage.Training.Network;
using Visage.Training.Optimization;

namespace Visage.Training;

/// <summary>One epoch of training.</summary>
/// <param name="Epoch">1-based; 0 is the untrained network.</param>
/// <param name="TrainLoss">Mean triplet loss over the epoch's batches (mined triplets).</param>
/// <param name="ActiveFraction">Share of mined triplets with a positive loss.</param>
/// <param name="ValidationLoss">Triplet loss over every valid triplet of the validation identities, or null without validation.</param>
public sealed record EpochReport(int Epoch, float TrainLoss, float ActiveFraction, float? ValidationLoss);

/// <summary>The outcome of training.</summary>
/// <param name="Network">The network at its best epoch (by validation loss; the last without validation).</param>
/// <param name="BestEpoch">That epoch (0: training never beat the untrained network).</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="StoppedEarly">Whether patience ran out before the epoch limit.</param>
/// <param name="History">Every epoch, from 0.</param>
public sealed record TrainingResult(HeadNetwork Network, int BestEpoch, int Epochs, bool StoppedEarly, IReadOnlyList<EpochReport> History);

/// <summary>
/// Trains a projection head on frozen descriptors with triplet loss: P x K batches, online mining, AdamW, early
/// stopping on the validation identities' loss with the best epoch's weights restored. Deterministic for a seed.
/// A few hundred descriptors train in well under a second per epoch.
/// </summary>
public static class HeadTrainer
{
    /// <summary>Trains on <paramref name="train"/>, stopping early on <paramref name="validation"/> when given.</summary>
    /// <exception cref="ArgumentException">Fewer than two training identities have two or more photos.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static TrainingResult Train(LabeledVectors train, LabeledVectors? validation, TrainingOptions options, Action<EpochReport>? onEpoch = null)
    {
        options.Validate();
        const int d = HeadArchitecture.Dimensions;
        var network = new HeadNetwork(options.Architecture, options.Seed);
        var optimizer = new AdamW(network.Parameters, options.LearningRate, options.WeightDecay);
        var sampler = new BatchSampler(train.Labels, options.IdentitiesPerBatch, options.PhotosPerIdentity, new Random(options.Seed + 1));
        var loss = new TripletLoss(options.Margin, options.Mining);
        var validationLoss = new TripletLoss(options.Margin, MiningStrategy.All);
        var useValidation = validation is { Count: > 0 } && validation.Identities >= 2;

        var history = new List<EpochReport>();
        var best = useValidation ? Validate(network, validation!, validationLoss) : (float?)null;
        history.Add(new EpochReport(0, float.NaN, float.NaN, best));
        onEpoch?.Invoke(history[0]);
        var bestSnapshot = network.Parameters.Snapshot();
        var bestEpoch = 0;
        var stoppedEarly = false;

        var input = Array.Empty<float>();
        var output = Array.Empty<float>();
        var gradient = Array.Empty<float>();
        var labels = Array.Empty<int>();
        for (var epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            double lossSum = 0;
            long mined = 0, active = 0;
            var batches = 0;
            foreach (var batch in sampler.Epoch())
            {
                var n = batch.Length;
                if (input.Length < n * d) { input = new float[n * d]; output = new float[n * d]; gradient = new float[n * d]; labels = new int[n]; }
                for (var k = 0; k < n; k++)
                {
                    train[batch[k]].CopyTo(input.AsSpan(k * d, d));
                    labels[k] = train.Labels[batch[k]];
                }
                network.Forward(input.AsSpan(0, n * d), n, training: true, output);
                var result = loss.Compute(output.AsSpan(0, n * d), d, labels.AsSpan(0, n), gradient);
                network.Parameters.ZeroGradients();
                network.Backward(gradient.AsSpan(0, n * d), n);
                optimizer.Step();
                lossSum += result.Loss;
                mined += result.Triplets;
                active += result.Active;
                batches++;
            }

            var validationValue = useValidation ? Validate(network, validation!, validationLoss) : (float?)null;
            var report = new EpochReport(epoch, (float)(lossSum / batches), mined == 0 ? 0 : (float)active / mined, validationValue);
            history.Add(report);
            onEpoch?.Invoke(report);
            if (!useValidation || validationValue < best)
            {
                best = validationValue;
                bestEpoch = epoch;
                bestSnapshot = network.Parameters.Snapshot();
            }
            else if (epoch - bestEpoch >= options.Patience)
            {
                stoppedEarly = true;
                break;
            }
        }
        network.Parameters.Restore(bestSnapshot);
        return new TrainingResult(network, bestEpoch, history.Count - 1, stoppedEarly, history);
    }

    /// <summary>Projects vectors through the network in evaluation mode.</summary>
    public static LabeledVectors Project(HeadNetwork network, LabeledVectors data)
    {
        var output = new float[data.Vectors.Length];
        network.Forward(data.Vectors, data.Count, training: false, output);
        return new LabeledVectors(output, data.Labels, data.Dimensions);
    }

    private static float Validate(HeadNetwork network, LabeledVectors validation, TripletLoss loss)
    {
        var projected = Project(network, validation);
        return loss.Compute(projected.Vectors, projected.Dimensions, projected.Labels, []).Loss;
    }
}
