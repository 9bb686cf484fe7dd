using System.Diagnostics;
using MnistEvents.Imaging;
using MnistEvents.Model.Data;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistEvents.Model.Training;

/// <summary>
/// The pytorch/examples MNIST recipe (Adadelta, StepLR per epoch, NLL loss, shuffled batches) on
/// TorchSharp, with optional augmentation and early stop at a target accuracy.
/// </summary>
public static class MnistTrainer
{
    /// <param name="corrections">People's corrections, mixed into the (limited) training set by <see cref="TrainingMix"/>.</param>
    public static TrainingResult Train(TrainingOptions options, MnistDataset train, MnistDataset test,
        ITrainingObserver? observer = null, CancellationToken cancellationToken = default, MnistDataset? corrections = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TestBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1);
        train = train.Take(options.Limit);
        if (corrections is { Count: > 0 }) train = TrainingMix.WithCorrections(train, corrections);
        test = test.Take(options.TestLimit);
        if (train.Count == 0) throw new ArgumentException("no training images (is --limit 0?)");

        TorchThreads.UseOnThisThread(options.Threads ?? Environment.ProcessorCount);
        manual_seed(options.Seed);
        using var generator = new Generator((ulong)options.Seed);

        var network = NetworkFactory.Create(options.Architecture);
        var average = options.AverageDecay > 0
            ? new WeightAverage(network, NetworkFactory.Create(options.Architecture), options.AverageDecay)
            : null;
        var clock = Stopwatch.StartNew();
        var results = new List<EpochResult>();
        try
        {
            using var trainImages = tensor(train.Images, [train.Count, 1, MnistDataset.Side, MnistDataset.Side]);
            using var trainLabels = tensor(train.Labels).to_type(ScalarType.Int64);
            using var optimizer = optim.Adadelta(network.parameters(), options.EffectiveLearningRate);
            var scheduler = optim.lr_scheduler.StepLR(optimizer, 1, options.Gamma);

            var stepsPerEpoch = options.DryRun ? 1 : (train.Count + options.BatchSize - 1) / options.BatchSize;
            var examplesPerEpoch = Math.Min(train.Count, stepsPerEpoch * options.BatchSize);
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                network.train();
                var epochClock = Stopwatch.StartNew();
                using var order = randperm(train.Count, generator: generator);
                for (var step = 0; step < stepsPerEpoch; step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var start = step * options.BatchSize;
                    var index = order.narrow(0, start, Math.Min(options.BatchSize, train.Count - start));
                    var x = trainImages.index_select(0, index).to_type(ScalarType.Float32).div_(255);
                    if (options.Augment) x = Augmentation.RandomAffine(x, generator);
                    x = x.sub_(MnistNormalization.Mean).div_(MnistNormalization.Std);
                    var y = trainLabels.index_select(0, index);

                    optimizer.zero_grad();
                    var output = network.call(x);
                    var loss = nn.functional.nll_loss(output, y);
                    loss.backward();
                    optimizer.step();
                    average?.Update();

                    var last = step == stepsPerEpoch - 1;
                    if (observer is not null && (step % Math.Max(1, options.LogInterval) == 0 || last))
                    {
                        var seen = Math.Min(start + (int)index.shape[0], examplesPerEpoch);
                        var batchAccuracy = output.argmax(1).eq(y).sum().ToInt64() / (double)y.shape[0];
                        var rate = ((epoch - 1) * examplesPerEpoch + seen) / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
                        var remaining = (options.Epochs - epoch) * examplesPerEpoch + (examplesPerEpoch - seen);
                        observer.Progressed(new TrainingProgress(epoch, options.Epochs, step + 1, stepsPerEpoch, seen,
                            examplesPerEpoch, loss.ToDouble(), batchAccuracy, rate, clock.Elapsed,
                            TimeSpan.FromSeconds(remaining / Math.Max(rate, 1e-3))));
                    }
                }
                scheduler.step();

                var result = Evaluate(average?.Network ?? network, test, options.TestBatchSize, epoch, options.Epochs, epochClock.Elapsed);
                results.Add(result);
                observer?.EpochCompleted(result);
                if (options.TargetAccuracy is { } target && result.Accuracy >= target) break;
            }
        }
        catch
        {
            average?.Dispose();
            network.Dispose();
            throw;
        }

        if (average is not null)
        {
            network.Dispose();
            network = average.Network;
        }
        network.eval();
        return new TrainingResult(network, results, train.Count, clock.Elapsed);
    }

    /// <summary>Average NLL loss and correct count over <paramref name="test"/>, in inference mode.</summary>
    public static EpochResult Evaluate(nn.Module<Tensor, Tensor> network, MnistDataset test, int batchSize,
        int epoch = 0, int epochs = 0, TimeSpan elapsed = default)
    {
        network.eval();
        using var mode = inference_mode();
        double lossSum = 0;
        long correct = 0;
        using var images = tensor(test.Images, [test.Count, 1, MnistDataset.Side, MnistDataset.Side]);
        using var labels = tensor(test.Labels).to_type(ScalarType.Int64);
        for (var start = 0; start < test.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(batchSize, test.Count - start);
            var x = images.narrow(0, start, length).to_type(ScalarType.Float32).div_(255)
                .sub_(MnistNormalization.Mean).div_(MnistNormalization.Std);
            var y = labels.narrow(0, start, length);
            var output = network.call(x);
            lossSum += nn.functional.nll_loss(output, y, reduction: nn.Reduction.Sum).ToDouble();
            correct += output.argmax(1).eq(y).sum().ToInt64();
        }
        return new EpochResult(epoch, epochs, test.Count == 0 ? 0 : lossSum / test.Count, (int)correct, test.Count, elapsed);
    }
}
