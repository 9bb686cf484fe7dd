using MnistEvents.Model.Networks;
using MnistEvents.Model.Training;
using MnistEvents.TestSupport;

namespace MnistEvents.UnitTests.Training;

/// <summary>Real training on a small real subset (the first 10,000 MNIST training images), to stay quick on 2 cores.</summary>
public class MnistTrainerTests
{
    [Fact]
    public void OneEpochOnTenThousandRealImagesScoresAboveNinetyPercentOnAThousandTestImages()
    {
        var observer = new RecordingObserver();
        var options = new TrainingOptions { Epochs = 1, Limit = 10_000, TestLimit = 1_000, LogInterval = 20 };

        var result = MnistTrainer.Train(options, TestData.Train, TestData.Test, observer);
        using var network = result.Network;

        Assert.Equal(10_000, result.TrainingExamples);
        Assert.Equal(1_000, result.Final.Total);
        Assert.True(result.Final.Accuracy > 0.90, $"accuracy {result.Final.Accuracy:P2}");
        Assert.Equal(result.Final, Assert.Single(observer.Epochs));

        // Progress every 20 batches and at the last one: steps 1, 21, …, 141, 157.
        Assert.Equal([1, 21, 41, 61, 81, 101, 121, 141, 157], observer.Progress.Select(p => p.Step));
        Assert.Equal(10_000, observer.Progress[^1].ExamplesSeen);
        Assert.True(observer.Progress[^1].Loss < observer.Progress[0].Loss);
        Assert.All(observer.Progress, p => Assert.True(p.ExamplesPerSecond > 0 && p.EstimatedRemaining >= TimeSpan.Zero));
    }

    [Fact]
    public void SeedsMlpTrainsToo()
    {
        var options = new TrainingOptions { Architecture = Architecture.Mlp, Epochs = 1, Limit = 10_000, TestLimit = 1_000, Augment = false };

        var result = MnistTrainer.Train(options, TestData.Train, TestData.Test);
        using var network = result.Network;

        Assert.True(result.Final.Accuracy > 0.85, $"accuracy {result.Final.Accuracy:P2}");
    }

    [Fact]
    public void DryRunTrainsOneBatchPerEpoch()
    {
        var observer = new RecordingObserver();
        var options = new TrainingOptions { Epochs = 2, DryRun = true, TestLimit = 100 };

        using var network = MnistTrainer.Train(options, TestData.Train, TestData.Test, observer).Network;

        Assert.Equal([1, 1], observer.Progress.Select(p => p.StepsPerEpoch));
        Assert.Equal([1, 2], observer.Epochs.Select(e => e.Epoch));
    }

    [Fact]
    public void TargetAccuracyStopsAtTheFirstEpochThatReachesIt()
    {
        var options = new TrainingOptions { Epochs = 5, Limit = 2_000, TestLimit = 200, TargetAccuracy = 0.5 };

        var result = MnistTrainer.Train(options, TestData.Train, TestData.Test);
        using var network = result.Network;

        Assert.Single(result.Epochs);
    }

    [Fact]
    public void CancellationStopsTraining()
    {
        using var cancel = new CancellationTokenSource();
        var observer = new RecordingObserver(onProgress: cancel.Cancel);

        Assert.Throws<OperationCanceledException>(() =>
            MnistTrainer.Train(new TrainingOptions { Epochs = 1, Limit = 5_000 }, TestData.Train, TestData.Test, observer, cancel.Token));
        Assert.Single(observer.Progress);
    }

    private sealed class RecordingObserver(Action? onProgress = null) : ITrainingObserver
    {
        public List<TrainingProgress> Progress { get; } = [];

        public List<EpochResult> Epochs { get; } = [];

        public void Progressed(TrainingProgress progress)
        {
            Progress.Add(progress);
            onProgress?.Invoke();
        }

        public void EpochCompleted(EpochResult result) => Epochs.Add(result);
    }
}
