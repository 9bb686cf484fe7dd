using MnistEvents.Contracts;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Store;
using MnistEvents.Model.Training;
using MnistEvents.Registry;
using MnistEvents.TestSupport;

namespace MnistEvents.UnitTests.Evaluation;

/// <summary>
/// The promotion gate on real training: a model from 5,000 real MNIST images is the first, so promoted; one from 500 is
/// worse on both sets and refused unless asked regardless. Small subsets and 1,000 test images, for speed on 2 cores.
/// </summary>
public class PromotionTests
{
    private static readonly TrainingOptions Good = new() { Epochs = 1, Limit = 5_000, TestLimit = 1_000 };
    private static readonly TrainingOptions Poor = new() { Epochs = 1, Limit = 500, TestLimit = 1_000 };
    private static readonly Lazy<MnistDataset> Uploads = new(() => ValidationUploads.Build(TestData.Test, 200));

    [Fact]
    public void AWorseCandidateIsSavedAsAVersionButRefusedAndTheActiveModelKeepsServing()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var first = Promote(registry, Good, new PromotionOptions());
        var served = ModelStore.Sha256(registry.ModelPath);

        var second = Promote(registry, Poor, new PromotionOptions());

        Assert.True(first.Decision.Promoted);
        Assert.Null(first.Decision.Active);
        Assert.False(second.Decision.Promoted);
        Assert.Equal(first.Manifest.Version, second.Decision.Active);
        Assert.Contains("worse than", second.Decision.Reason);
        Assert.True(second.Decision.CandidateMnist < second.Decision.ActiveMnist);
        Assert.Null(second.Change.Activation);
        Assert.Equal([typeof(ModelSaved), typeof(PromotionDecided)], second.Change.Events.Select(e => e.GetType()));
        Assert.Equal(served, ModelStore.Sha256(registry.ModelPath));
        Assert.Equal(first.Manifest.Version, registry.ActiveVersion);
        Assert.Equal(second.Decision, registry.Decision(second.Manifest.Version));
        Assert.NotNull(registry.Find(second.Manifest.Version));
        Assert.Equal(second.Decision.CandidateUploads, second.Manifest.UploadsAccuracy);
    }

    [Fact]
    public void PromoteRegardlessServesAWorseCandidateAndSaysSo()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var first = Promote(registry, Good, new PromotionOptions());

        var forced = Promote(registry, Poor, new PromotionOptions { PromoteRegardless = true });

        Assert.True(forced.Decision.Promoted && forced.Decision.Forced);
        Assert.StartsWith("promoted regardless", forced.Decision.Reason);
        Assert.Equal(forced.Manifest.Version, registry.ActiveVersion);
        Assert.Equal(forced.Manifest.Sha256, ModelStore.Sha256(registry.ModelPath));
        Assert.Equal(first.Manifest.Version, forced.Change.Activation!.Previous);
        Assert.Equal([typeof(ModelSaved), typeof(PromotionDecided), typeof(ModelActivated)], forced.Change.Events.Select(e => e.GetType()));
        Assert.Equal(forced.Manifest.Version, forced.Change.Events.OfType<ModelActivated>().Single().Version);
    }

    [Fact]
    public void ACandidateThatPassesTheGateWaitsToBeShadowedWhenAskedAndTheActiveModelKeepsServing()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var first = Promote(registry, Good, new PromotionOptions());
        var served = ModelStore.Sha256(registry.ModelPath);

        // Any candidate passes a gate this tolerant: what is pinned down is the wait.
        var waiting = Promote(registry, Poor, new PromotionOptions { TolerancePoints = 100, ShadowPredictions = 300, ShadowSampleRate = 0.5 });

        Assert.True(waiting.Decision is { Pending: true, Promoted: false, ShadowPredictions: 300 });
        Assert.StartsWith("not worse than", waiting.Decision.Reason);
        Assert.Null(waiting.Change.Activation);
        Assert.Equal([typeof(ModelSaved), typeof(PromotionDecided), typeof(ShadowStarted)], waiting.Change.Events.Select(e => e.GetType()));
        Assert.Equal(served, ModelStore.Sha256(registry.ModelPath));
        Assert.Equal(first.Manifest.Version, registry.ActiveVersion);
        Assert.Equal(new ShadowPlan(waiting.Manifest.Version, waiting.Manifest.Sha256, 0.5, 300, "a test", waiting.Decision.DecidedAt), registry.Shadow);
        Assert.Equal(RegistryEvents.Started(registry.Shadow!), waiting.Change.Events.OfType<ShadowStarted>().Single());
        Assert.Equal(waiting.Decision, registry.Decision(waiting.Manifest.Version));
    }

    [Fact]
    public void TheSeedsModelFileIsAdoptedSoACandidateIsJudgedAgainstIt()
    {
        var path = Path.Combine(TestData.TempDirectory(), "mnist.pt");
        File.Copy(TestData.Fixture("seed_mlp.pt"), path);
        var registry = new ModelRegistry(path);

        var candidate = Promote(registry, Poor, new PromotionOptions());

        Assert.StartsWith("unversioned-", candidate.Decision.Active);
        Assert.False(candidate.Decision.Promoted);
        Assert.Equal(ModelStore.Sha256(TestData.Fixture("seed_mlp.pt")), ModelStore.Sha256(path));
        // The adopted file came without scores; judging a candidate against it filled them in.
        var adopted = registry.Find(candidate.Decision.Active!)!;
        Assert.Equal((candidate.Decision.ActiveMnist, candidate.Decision.ActiveUploads), (adopted.TestAccuracy, adopted.UploadsAccuracy));
    }

    private static PromotionOutcome Promote(ModelRegistry registry, TrainingOptions training, PromotionOptions promotion)
    {
        var result = MnistTrainer.Train(training, TestData.Train, TestData.Test);
        using var network = result.Network;
        return CandidatePromotion.SaveAndJudge(registry, result, training, TestData.Test, Uploads.Value, CorrectionSplit.None, promotion, "a test");
    }
}
