using MnistEvents.Contracts;
using MnistEvents.Registry;
using MnistEvents.TestSupport;

namespace MnistEvents.UnitTests.Registry;

/// <summary>The versioned store's files: versions, the pointer the seed's path goes through, history, pruning (plain bytes, no models).</summary>
public class ModelRegistryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ActivatingAVersionPointsTheServedPathAndItsManifestAtItAndRecordsWhatItReplaced()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var first = Save(registry, 1);
        var second = Save(registry, 2);

        registry.Activate(first.Version, "a test");
        Assert.Equal("model 1", File.ReadAllText(registry.ModelPath));
        var change = registry.Activate(second.Version, "a person");
        var activation = change.Activation!;

        Assert.Equal("model 2", File.ReadAllText(registry.ModelPath));
        Assert.Equal(second, RegistryFiles.Read<ModelManifest>(ModelVolume.ManifestPath(registry.ModelPath)));
        Assert.Equal((second.Version, first.Version, "a person"), (activation.Version, activation.Previous, activation.By));
        Assert.Equal([first.Version, second.Version], registry.History().Select(a => a.Version));
        Assert.Equal(second.Version, registry.ActiveVersion);
        Assert.Equal(first.Version, registry.PreviousVersion);
        Assert.Equal(RegistryEvents.Activated(second, activation), Assert.Single(change.Events));
    }

    [Fact]
    public void ASecondModelNameInAVolumeIsRefusedWithAClearMessageAndTheFirstStaysServed()
    {
        var directory = TestData.TempDirectory();
        var registry = new ModelRegistry(Path.Combine(directory, "mnist.pt"));
        var served = Save(registry, 1);
        registry.Activate(served.Version, "a test");
        var other = new ModelRegistry(Path.Combine(directory, "b.pt"));

        var refused = Assert.Throws<RegistryException>(() => other.SaveVersion(Manifest(2), "model 2"u8.ToArray()));

        Assert.Contains($"{directory} already serves the model mnist.pt; a volume holds one model name", refused.Message);
        Assert.Equal("model 1", File.ReadAllText(registry.ModelPath));
        Assert.Equal([served.Version], registry.Versions().Select(v => v.Version));
    }

    [Fact]
    public void PruningKeepsTheNewestVersionsAndAlwaysTheActiveOneAndTheOneBeforeIt()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var versions = Enumerable.Range(1, 5).Select(i => Save(registry, i)).ToArray();
        registry.Activate(versions[0].Version, "a test");
        registry.Activate(versions[1].Version, "a test");

        var pruned = registry.Prune(keep: 2);

        Assert.Equal([versions[2].Version], pruned);
        Assert.Equal([versions[4].Version, versions[3].Version, versions[1].Version, versions[0].Version], registry.Versions().Select(v => v.Version));
        Assert.Equal("model 2", File.ReadAllText(registry.ModelPath));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(".hidden")]
    public void ANameThatIsNotAVersionIsNeverTurnedIntoAPath(string name)
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));

        Assert.False(ModelRegistry.IsValidVersion(name));
        Assert.Throws<RegistryException>(() => registry.Activate(name, "an attacker"));
        Assert.Null(registry.Find(name));
    }

    [Fact]
    public void ActivatingAVersionThatIsNotKeptIsRefusedAndChangesNothing()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var kept = Save(registry, 1);
        registry.Activate(kept.Version, "a test");

        Assert.Throws<RegistryException>(() => registry.Activate("20990101-000000-deadbeef", "a person"));
        Assert.Equal(kept.Version, registry.ActiveVersion);
    }

    [Fact]
    public void AVersionWhoseManifestIsTornIsNotListedNorFoundAndATornVerdictIsAbsent()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var sound = Save(registry, 1);
        var torn = Save(registry, 2);
        File.WriteAllText(ModelVolume.ManifestPath(registry.VersionModelPath(torn.Version)), "{\"version\":");
        File.WriteAllText(Path.Combine(registry.VersionDirectory(sound.Version), "promotion.json"), "{");

        Assert.Equal([sound.Version], registry.Versions().Select(v => v.Version));
        Assert.Null(registry.Find(torn.Version));
        Assert.Null(registry.Decision(sound.Version));
        Assert.Throws<RegistryException>(() => registry.Activate(torn.Version, "a person"));
    }

    [Fact]
    public void TheSeedsPlainFileIsAdoptedAsAVersionAndStaysServed()
    {
        var path = Path.Combine(TestData.TempDirectory(), "mnist.pt");
        File.WriteAllText(path, "seed model");
        var registry = new ModelRegistry(path);
        Assert.True(registry.HoldsUnversionedModel);
        Assert.Null(registry.ActiveVersion);

        registry.Adopt(Manifest(0) with { Version = "unversioned-0123abcd" });

        Assert.False(registry.HoldsUnversionedModel);
        Assert.Equal("unversioned-0123abcd", registry.ActiveVersion);
        Assert.Equal("seed model", File.ReadAllText(path));
    }

    [Fact]
    public void ACandidateWaitingOnItsShadowingIsRefusedWhenAnotherPlanReplacesItButKeepsWaitingWhenOnlyItsRateChanges()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var (served, waiting, other) = (Save(registry, 1), Save(registry, 2), Save(registry, 3));
        registry.Activate(served.Version, "a test");
        registry.RecordDecision(Pending(waiting, served));
        registry.ReplaceShadow(Plan(waiting, 500), "unused", "a test");

        var rateChanged = registry.ReplaceShadow(Plan(waiting, null) with { SampleRate = 0.5 }, "unused", "a test");
        Assert.Equal([typeof(ShadowStarted)], rateChanged.Events.Select(e => e.GetType()));
        Assert.Equal((0.5, 500L), (registry.Shadow!.SampleRate, registry.Shadow.PromoteAfter));
        var soFar = new ShadowComparison(40, 39, 0.98, 0.97, 0.3, 0.2);
        var replaced = registry.ReplaceShadow(Plan(other, null), "a person shadowed another version", "a person", soFar);
        var refused = Assert.IsType<PromotionDecided>(replaced.Events[0]);
        Assert.Equal(RegistryEvents.Started(registry.Shadow!), Assert.IsType<ShadowStarted>(replaced.Events[1]));
        Assert.Equal(2, replaced.Events.Count);

        Assert.Equal(soFar.Compared, refused.ShadowCompared);
        Assert.Equal(soFar, registry.Shadowed(waiting.Version));
        Assert.Null(registry.Shadowed(other.Version));
        Assert.Equal(RegistryEvents.Decided(registry.Decision(waiting.Version)!), refused);
        Assert.False(refused.Promoted || refused.Pending);
        Assert.EndsWith("but not promoted: a person shadowed another version before it was shadowed on 500 live digits", refused.Reason);
        Assert.Equal((other.Version, (long?)null), (registry.Shadow!.Version, registry.Shadow.PromoteAfter));
        Assert.Equal(served.Version, registry.ActiveVersion);
    }

    [Fact]
    public void ACandidateLeftWaitingWithoutAPlanByACrashIsRefusedWhenShadowingNextChanges()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var (served, stranded, next) = (Save(registry, 1), Save(registry, 2), Save(registry, 3));
        registry.Activate(served.Version, "a test");
        registry.RecordDecision(Pending(stranded, served)); // its plan never written

        var refused = registry.ReplaceShadow(Plan(next, null), "a person shadowed another version", "a person").Events.OfType<PromotionDecided>().Single();

        Assert.Equal(stranded.Version, refused.Candidate);
        Assert.False(registry.Decision(stranded.Version)!.Pending);
    }

    [Fact]
    public void SettlingAShadowPlanRecordsTheVerdictActivatesTheCandidateAndEndsThePlanOnlyOnce()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var (served, waiting) = (Save(registry, 1), Save(registry, 2));
        registry.Activate(served.Version, "a test");
        registry.RecordDecision(Pending(waiting, served));
        var plan = Plan(waiting, 100);
        registry.ReplaceShadow(plan, "unused", "a test");
        var verdict = Pending(waiting, served) with { Pending = false, Promoted = true, Shadow = new ShadowComparison(120, 118, 0.99, 0.97, 0.2, 0.25) };

        var settled = registry.SettleShadow(plan, verdict, "a gateway");
        var again = registry.SettleShadow(plan, verdict, "another gateway");

        Assert.NotNull(settled);
        var activation = settled.Activation!;
        Assert.Equal((waiting.Version, served.Version, "a gateway"), (activation.Version, activation.Previous, activation.By));
        Assert.Equal([typeof(PromotionDecided), typeof(ModelActivated), typeof(ShadowStopped)], settled.Events.Select(e => e.GetType()));
        Assert.Equal(new ShadowStopped(waiting.Version, "a gateway", ((ShadowStopped)settled.Events[2]).At), settled.Events[2]);
        Assert.Equal(verdict, registry.Decision(waiting.Version));
        Assert.Equal(verdict.Shadow, registry.Shadowed(waiting.Version));
        Assert.Null(registry.Shadow);
        Assert.Null(again);
        Assert.Equal([served.Version, waiting.Version], registry.History().Select(a => a.Version));
    }

    [Fact]
    public void ActivatingAnotherVersionSupersedesTheWaitingCandidateAndEndsItsShadowingSoNoLateSettlementServesIt()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var (served, waiting, newer) = (Save(registry, 1), Save(registry, 2), Save(registry, 3));
        registry.Activate(served.Version, "a test");
        registry.RecordDecision(Pending(waiting, served));
        var plan = Plan(waiting, 500);
        registry.ReplaceShadow(plan, "unused", "a test");
        var soFar = new ShadowComparison(40, 39, 0.98, 0.97, 0.3, 0.2);

        var change = registry.Activate(newer.Version, "a person", shadowed: soFar);
        var late = registry.SettleShadow(plan, Pending(waiting, served) with { Pending = false, Promoted = true }, "a late report");

        Assert.Equal([typeof(PromotionDecided), typeof(ModelActivated), typeof(ShadowStopped)], change.Events.Select(e => e.GetType()));
        var superseded = registry.Decision(waiting.Version)!;
        Assert.False(superseded.Promoted || superseded.Pending);
        Assert.EndsWith($"but not promoted: {newer.Version} was activated (a person) before it was shadowed on 500 live digits", superseded.Reason);
        Assert.Equal(soFar, registry.Shadowed(waiting.Version));
        Assert.Null(registry.Shadow);
        Assert.Null(late);
        Assert.Equal(newer.Version, registry.ActiveVersion);
    }

    [Fact]
    public void ActivatingTheWaitingCandidateItselfPromotesItAsServedByHand()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var (served, waiting) = (Save(registry, 1), Save(registry, 2));
        registry.Activate(served.Version, "a test");
        registry.RecordDecision(Pending(waiting, served));
        registry.ReplaceShadow(Plan(waiting, 500), "unused", "a test");

        registry.Activate(waiting.Version, "a person", shadowed: new ShadowComparison(40, 39, 0.98, 0.97, 0.3, 0.2));

        var promoted = registry.Decision(waiting.Version)!;
        Assert.True(promoted is { Promoted: true, Pending: false });
        Assert.EndsWith("then served by hand (a person) after 40 of 500 shadowed live digits, answering 97.5% of them as the served model did", promoted.Reason);
        Assert.Null(registry.Shadow);
        Assert.Equal(waiting.Version, registry.ActiveVersion);
    }

    [Fact]
    public void AnActivationNamesTheTrainingWhosePromotionItWasInTheHistoryAndItsEvent()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var version = Save(registry, 1);
        var training = Guid.NewGuid();

        var change = registry.Activate(version.Version, "the controller", training);

        Assert.Equal(training, registry.History().Single().TrainingId);
        Assert.Equal(training, change.Events.OfType<ModelActivated>().Single().TrainingId);
    }

    private static PromotionDecision Pending(ModelManifest candidate, ModelManifest active) =>
        new(candidate.Version, active.Version, false, false, "not worse", 0.99, 0.98, 0.97, 0.96, 0.5, Start, Pending: true, ShadowPredictions: 500);

    private static ShadowPlan Plan(ModelManifest candidate, long? promoteAfter) =>
        new(candidate.Version, candidate.Sha256, 1, promoteAfter, "a test", Start);

    private static ModelManifest Save(ModelRegistry registry, int i)
    {
        var manifest = Manifest(i);
        registry.SaveVersion(manifest, System.Text.Encoding.UTF8.GetBytes($"model {i}"));
        return manifest;
    }

    private static ModelManifest Manifest(int i) =>
        new($"20261125-12000{i}-0000000{i}", new string((char)('a' + i), 64), "cnn", 0.99, 1, Start.AddMinutes(i));
}
