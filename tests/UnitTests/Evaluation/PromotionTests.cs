using MnistEvents.Contracts;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Store;
using MnistEvents.Model.Training;
using MnistEvents.Registry;
using MnistEvents.TestSupport;

namespace MnistEvents.UnitTests.Evaluation;

/// <summary>
/// The trainer's judgement on real training: a model from 5,000 real MNIST images is the first, so the gate passes it; one
/// from 500 is worse on both sets and refused unless asked regardless. The trainer only saves and judges: what serves is
/// the controller's decision (ControllerTests), so these tests activate the first model themselves, as the controller
/// would. Small subsets and 1,000 test images, for speed on 2 cores.
/// </summary>
public class PromotionTests
{
    private static readonly TrainingOptions Good = new() { Epochs = 1, Limit = 5_000, TestLimit = 1_000 };
    private static readonly TrainingOptions Poor = new() { Epochs = 1, Limit = 500, TestLimit = 1_000 };
    private static readonly Lazy<MnistDataset> Uploads = new(() => ValidationUploads.Build(TestData.Test, 200));

    [Fact]
    public void AWorseCandidateIsSavedAsAVersionAndJudgedWorseAndTheStoreIsLeftAsItWas()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var first = Judge(registry, Good, new PromotionOptions());
        registry.Activate(first.Manifest.Version, "a test");
        var served = ModelStore.Sha256(registry.ModelPath);

        var second = Judge(registry, Poor, new PromotionOptions());

        Assert.True(first.Decision.Promoted);
        Assert.Null(first.Decision.Active);
        Assert.StartsWith("the first model", first.Decision.Reason);
        Assert.False(second.Decision.Promoted);
        Assert.Equal(first.Manifest.Version, second.Decision.Active);
        Assert.Contains("worse than", second.Decision.Reason);
        Assert.True(second.Decision.CandidateMnist < second.Decision.ActiveMnist);
        Assert.Equal([typeof(ModelSaved)], second.Change.Events.Select(e => e.GetType()));
        Assert.Equal(served, ModelStore.Sha256(registry.ModelPath));
        Assert.Equal(first.Manifest.Version, registry.ActiveVersion);
        // The verdict is reported, not recorded: recording it is the controller's.
        Assert.Null(registry.Decision(second.Manifest.Version));
        Assert.NotNull(registry.Find(second.Manifest.Version));
        Assert.Equal(second.Decision.CandidateUploads, second.Manifest.UploadsAccuracy);
    }

    [Fact]
    public void PromoteRegardlessPassesAWorseCandidateAndSaysSo()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var first = Judge(registry, Good, new PromotionOptions());
        registry.Activate(first.Manifest.Version, "a test");

        var forced = Judge(registry, Poor, new PromotionOptions { PromoteRegardless = true });

        Assert.True(forced.Decision.Promoted && forced.Decision.Forced);
        Assert.StartsWith("promoted regardless", forced.Decision.Reason);
        Assert.Contains("worse than", forced.Decision.Reason);
        Assert.Equal(first.Manifest.Version, registry.ActiveVersion);
        var judged = RegistryEvents.Judged(forced.Decision, Guid.NewGuid(), 300, 0.5);
        Assert.Equal((true, true, forced.Manifest.Version, 300L, 0.5), (judged.Passed, judged.Forced, judged.Candidate, judged.ShadowPredictions, judged.ShadowSampleRate));
        Assert.Equal(forced.Decision, PromotionGate.Reported(judged));
    }

    [Fact]
    public void TheSeedsModelFileIsAdoptedSoACandidateIsJudgedAgainstIt()
    {
        var path = Path.Combine(TestData.TempDirectory(), "mnist.pt");
        File.Copy(TestData.Fixture("seed_mlp.pt"), path);
        var registry = new ModelRegistry(path);

        var candidate = Judge(registry, Poor, new PromotionOptions());

        Assert.StartsWith("unversioned-", candidate.Decision.Active);
        Assert.False(candidate.Decision.Promoted);
        Assert.Equal(ModelStore.Sha256(TestData.Fixture("seed_mlp.pt")), ModelStore.Sha256(path));
        // The adopted file came without scores; judging a candidate against it filled them in.
        var adopted = registry.Find(candidate.Decision.Active!)!;
        Assert.Equal((candidate.Decision.ActiveMnist, candidate.Decision.ActiveUploads), (adopted.TestAccuracy, adopted.UploadsAccuracy));
    }

    private static PromotionOutcome Judge(ModelRegistry registry, TrainingOptions training, PromotionOptions promotion)
    {
        var result = MnistTrainer.Train(training, TestData.Train, TestData.Test);
        using var network = result.Network;
        return CandidateJudging.SaveAndJudge(registry, result, training, TestData.Test, Uploads.Value, CorrectionSplit.None, promotion);
    }
}
