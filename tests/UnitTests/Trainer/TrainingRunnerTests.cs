using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using MnistEvents.Contracts;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Store;
using MnistEvents.Model.Training;
using MnistEvents.TestSupport;
using MnistEvents.Trainer.Worker;

namespace MnistEvents.UnitTests.Trainer;

/// <summary>A training run ends in TrainingFailed with the reason whichever step fails (trained on 500 real MNIST images, for speed).</summary>
public class TrainingRunnerTests
{
    // A small real-uploads validation set: the gate's rendering is not what these tests are about.
    private static readonly PromotionOptions QuickGate = new() { ValidationUploads = 100 };

    [Fact]
    public async Task AnnouncementThatFailsAfterTheSaveEndsInTrainingFailedSayingTheModelIsSaved()
    {
        var published = PublishRecorder.Create(failOn: typeof(ModelSaved));
        var runner = new TrainingRunner(published, NullLogger<TrainingRunner>.Instance);
        var path = Path.Combine(TestData.TempDirectory(), "mnist.pt");

        var outcome = await runner.RunAsync(Guid.NewGuid(), new TrainingOptions { Epochs = 1, Limit = 500 }, QuickGate, MnistDirectory.Default(), path);

        Assert.Null(outcome);
        var failed = Assert.Single(((PublishRecorder)(object)published).Messages.OfType<TrainingFailed>());
        Assert.StartsWith("announcing model ", failed.Reason);
        Assert.Contains("which is saved", failed.Reason);
        Assert.Contains("the broker refused", failed.Reason);
        Assert.NotNull(ModelStore.ReadManifest(path));
        Assert.DoesNotContain(((PublishRecorder)(object)published).Messages, m => m is TrainingCompleted);
    }

    [Fact]
    public async Task MissingTrainingDataEndsInTrainingFailedNamingTheStep()
    {
        var published = PublishRecorder.Create(failOn: null);
        var runner = new TrainingRunner(published, NullLogger<TrainingRunner>.Instance);

        var outcome = await runner.RunAsync(Guid.NewGuid(), new TrainingOptions { Epochs = 1 }, QuickGate, TestData.TempDirectory(),
            Path.Combine(TestData.TempDirectory(), "mnist.pt"));

        Assert.Null(outcome);
        Assert.StartsWith("loading MNIST failed: ", Assert.Single(((PublishRecorder)(object)published).Messages.OfType<TrainingFailed>()).Reason);
    }

    /// <summary>An <see cref="IPublishEndpoint"/> that records what is published, and refuses one message type as a broker would.</summary>
    public class PublishRecorder : DispatchProxy
    {
        private Type? failOn;

        public List<object> Messages { get; } = [];

        public static IPublishEndpoint Create(Type? failOn)
        {
            var proxy = DispatchProxy.Create<IPublishEndpoint, PublishRecorder>();
            ((PublishRecorder)(object)proxy).failOn = failOn;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            var message = args![0]!;
            if (message.GetType() == failOn) return Task.FromException(new InvalidOperationException("the broker refused it"));
            lock (Messages) Messages.Add(message);
            return Task.CompletedTask;
        }
    }
}
