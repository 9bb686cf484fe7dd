using MnistEvents.Contracts;
using MnistEvents.Trainer.Cli;

namespace MnistEvents.UnitTests.Trainer;

/// <summary>The events reach the command from several exchanges in no promised order: the outcome must not depend on it.</summary>
public class RetrainWatchTests
{
    private static readonly Guid Ours = Guid.NewGuid();
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static ModelSaved Saved(string version, Guid? training) => new(version, "ab", "cnn", 0.9, 1, Now, training);

    private static PromotionDecided Verdict(string candidate, bool promoted, Guid? training, bool pending = false) =>
        new(candidate, "v1", promoted, false, promoted ? "not worse" : "worse by 3 points", 0.9, 0.8, 0.93, 0.85, 0.5, training, Now, pending);

    private static ModelActivated Activated(string version) => new(version, "ab", "cnn", 0.9, Now, "v1", "the trainer", Now);

    private static RetrainOutcome? Watch(IEnumerable<object> events, out string output)
    {
        var written = new StringWriter();
        var watch = new RetrainWatch(Ours, written, written);
        RetrainOutcome? outcome = null;
        foreach (var message in events)
            if ((outcome = watch.Observe(message)) is not null) break;
        output = written.ToString();
        return outcome;
    }

    public static TheoryData<string> Orders => new() { "as published", "activation first", "verdict first" };

    [Theory]
    [MemberData(nameof(Orders))]
    public void ItsVersionActivatedIsServedInWhateverOrderTheEventsCome(string order)
    {
        object[] events = order switch
        {
            "as published" => [Saved("v2", Ours), Verdict("v2", true, Ours), Activated("v2")],
            "activation first" => [Activated("v2"), Verdict("v2", true, Ours), Saved("v2", Ours)],
            _ => [Verdict("v2", true, Ours), Activated("v2"), Saved("v2", Ours)],
        };

        Assert.Equal(RetrainOutcome.Served, Watch(events, out var output));
        Assert.Contains("Version v2 serves", output);
    }

    [Fact]
    public void TheGatesRefusalIsRefusedAndAnotherTrainingsActivationIsNotOurs()
    {
        var outcome = Watch([Saved("v3", Guid.NewGuid()), Activated("v3"), Saved("v2", Ours), Verdict("v2", false, Ours)], out var output);

        Assert.Equal(RetrainOutcome.Refused, outcome);
        Assert.Contains("The gate refused v2: worse by 3 points; v1 still serves", output);
    }

    [Fact]
    public void AShadowedCandidateWaitsForTheVerdictAfterShadowingWhichNamesNoTraining()
    {
        Assert.Null(Watch([Saved("v2", Ours), Verdict("v2", true, Ours, pending: true)], out _));
        Assert.Equal(RetrainOutcome.Refused, Watch([Saved("v2", Ours), Verdict("v2", true, Ours, pending: true), Verdict("v2", false, null)], out _));
        Assert.Equal(RetrainOutcome.Served, Watch([Saved("v2", Ours), Verdict("v2", true, Ours, pending: true), Verdict("v2", true, null), Activated("v2")], out _));
    }

    [Fact]
    public void ARefusedRequestOrAFailedTrainingIsAFailureSaidOnTheErrorStream()
    {
        Assert.Equal(RetrainOutcome.Failed, Watch([new RetrainRejected(Ours, "epochs must be between 1 and 30", Now)], out var rejected));
        Assert.Contains("refused the request: epochs must be between 1 and 30", rejected);
        Assert.Equal(RetrainOutcome.Failed, Watch([new TrainingFailed(Ours, "training: out of memory", Now)], out var failed));
        Assert.Contains("the training failed: training: out of memory", failed);
        Assert.Null(Watch([new TrainingFailed(Guid.NewGuid(), "another's", Now)], out _));
    }
}
