using Microsoft.Extensions.Logging.Abstractions;
using MnistEvents.Contracts;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Store;
using MnistEvents.Model.Training;
using MnistEvents.TestSupport;
using MnistEvents.Registry;
using MnistEvents.Trainer.Training;

namespace MnistEvents.UnitTests.Trainer;

/// <summary>A training run ends in TrainingFailed with the reason whichever step fails (trained on 500 real MNIST images, for speed).</summary>
public class TrainingRunnerTests
{
    // A small real-uploads validation set: the gate's rendering is not what these tests are about.
    private static readonly PromotionOptions QuickGate = new() { ValidationUploads = 100 };

    [Fact]
    public async Task AnnouncementThatFailsAfterTheSaveEndsInTrainingFailedSayingTheModelIsSaved()
    {
        var announced = new RecordingAnnouncer(failOn: typeof(ModelSaved));
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));

        var report = await new TrainingRunner(announced, NullLogger<TrainingRunner>.Instance).RunAsync(Run(MnistDirectory.Default(), registry));

        Assert.False(report.Succeeded);
        var failed = Assert.Single(announced.Messages.OfType<TrainingFailed>());
        Assert.Equal(failed.Reason, report.Failure);
        Assert.StartsWith("announcing model ", failed.Reason);
        Assert.Contains("which is saved", failed.Reason);
        Assert.Contains("the broker refused", failed.Reason);
        Assert.NotNull(ModelStore.ReadManifest(registry.ModelPath));
        Assert.DoesNotContain(announced.Messages, m => m is TrainingCompleted);
    }

    [Fact]
    public async Task MissingTrainingDataEndsInTrainingFailedNamingTheStepOnce()
    {
        var announced = new RecordingAnnouncer(failOn: null);

        var report = await new TrainingRunner(announced, NullLogger<TrainingRunner>.Instance)
            .RunAsync(Run(TestData.TempDirectory(), new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"))));

        Assert.False(report.Succeeded || report.Unannounced);
        Assert.StartsWith("loading MNIST failed: ", Assert.Single(announced.Messages.OfType<TrainingFailed>()).Reason);
        Assert.Single(announced.Messages);
    }

    [Fact]
    public async Task ASuccessfulRunAnnouncesItsStartTheStoresChangesInOrderAndItsEnd()
    {
        var announced = new RecordingAnnouncer(failOn: null);
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));

        var report = await new TrainingRunner(announced, NullLogger<TrainingRunner>.Instance).RunAsync(Run(MnistDirectory.Default(), registry));

        Assert.True(report.Succeeded);
        var lifecycle = announced.Messages.Where(m => m is not TrainingProgressed).Select(m => m.GetType()).ToArray();
        Assert.Equal([typeof(TrainingStarted), typeof(ModelSaved), typeof(PromotionDecided), typeof(ModelActivated), typeof(TrainingCompleted)], lifecycle);
        Assert.Equal(report.Outcome!.Change.Events, announced.Messages.Where(m => m is ModelSaved or PromotionDecided or ModelActivated));
        Assert.Equal(registry.ActiveVersion, announced.Messages.OfType<TrainingCompleted>().Single().ModelVersion);
    }

    private static TrainingRun Run(string data, ModelRegistry registry) =>
        new(Guid.NewGuid(), new TrainingOptions { Epochs = 1, Limit = 500 }, QuickGate, data, registry, new CorrectionsLog(registry.Volume, 100), "a test");

    /// <summary>Records what is announced, and refuses one message type as a broker would.</summary>
    private sealed class RecordingAnnouncer(Type? failOn) : ITrainingAnnouncer
    {
        public List<object> Messages { get; } = [];

        public Task AnnounceAsync(object message, CancellationToken cancellationToken)
        {
            if (message.GetType() == failOn) return Task.FromException(new InvalidOperationException("the broker refused it"));
            lock (Messages) Messages.Add(message);
            return Task.CompletedTask;
        }
    }
}
