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
        Assert.Single(registry.Versions());
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
    public async Task ASuccessfulRunAnnouncesItsStartItsSavedVersionItsJudgementAndItsEndAndActivatesNothing()
    {
        var announced = new RecordingAnnouncer(failOn: null);
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));

        var report = await new TrainingRunner(announced, NullLogger<TrainingRunner>.Instance).RunAsync(Run(MnistDirectory.Default(), registry));

        Assert.True(report.Succeeded);
        var lifecycle = announced.Messages.Where(m => m is not TrainingProgressed).Select(m => m.GetType()).ToArray();
        Assert.Equal([typeof(TrainingStarted), typeof(ModelSaved), typeof(CandidateJudged), typeof(TrainingCompleted)], lifecycle);
        Assert.Equal(report.Outcome!.Change.Events, announced.Messages.Where(m => m is ModelSaved));
        var judged = announced.Messages.OfType<CandidateJudged>().Single();
        Assert.Equal((report.Outcome.Manifest.Version, true, null), (judged.Candidate, judged.Passed, judged.Active));
        Assert.Equal(judged.Candidate, announced.Messages.OfType<TrainingCompleted>().Single().ModelVersion);
        // It judged; deciding is the controller's, so nothing is served yet.
        Assert.Null(registry.ActiveVersion);
    }

    [Fact]
    public async Task EachVersionsLineageNamesItsRunItsMnistFilesAndTheCorrectionsFileAsItsTrainingReadIt()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var corrections = new CorrectionsLog(registry.Volume, 100);
        var runner = new TrainingRunner(new RecordingAnnouncer(failOn: null), NullLogger<TrainingRunner>.Instance);

        await CorrectAsync(corrections, 0, 6);
        var before = FileDigestOf(corrections.FilePath);
        var first = Run(MnistDirectory.Default(), registry);
        var firstVersion = (await runner.RunAsync(first)).Outcome!.Manifest.Version;
        // Corrections added between two trainings: the second's lineage names the file as it then was.
        await CorrectAsync(corrections, 6, 4);
        var after = FileDigestOf(corrections.FilePath);
        var secondVersion = (await runner.RunAsync(Run(MnistDirectory.Default(), registry))).Outcome!.Manifest.Version;

        var lineage = registry.Lineage(firstVersion)!;
        Assert.Equal((first.TrainingId, "a test", 500, 1), (lineage.TrainingId, lineage.RequestedBy, lineage.MnistImages, lineage.Settings.Epochs));
        Assert.Equal(500, lineage.Settings.Limit);
        Assert.Equal(MnistFile.All.Select(f => (f.Name, f.Sha256)), lineage.Mnist.Select(f => (f.Name, f.Sha256)));
        Assert.Equal(before, lineage.Corrections.File);
        Assert.Equal(after, registry.Lineage(secondVersion)!.Corrections.File);
        Assert.NotEqual(before.Sha256, after.Sha256);
        static int Judged(CorrectionsUsed used) => used.Trained + used.HeldBack + used.Refused;
        Assert.Equal(6, Judged(lineage.Corrections));
        Assert.Equal(10, Judged(registry.Lineage(secondVersion)!.Corrections));
    }

    // Corrections of real test digits, each from its own client, labelled as MNIST labels them.
    private static async Task CorrectAsync(CorrectionsLog corrections, int from, int count)
    {
        for (var i = from; i < from + count; i++)
            await corrections.AddAsync(new CorrectionRecord(Guid.NewGuid(), TestData.Test.Labels[i], (TestData.Test.Labels[i] + 1) % 10, "a version",
                TestData.Test.Image(i).ToArray(), DateTimeOffset.UtcNow, $"10.0.0.{i}", 0.6), CancellationToken.None);
    }

    private static FileDigest FileDigestOf(string path) =>
        new(Path.GetFileName(path), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), new FileInfo(path).Length);

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
