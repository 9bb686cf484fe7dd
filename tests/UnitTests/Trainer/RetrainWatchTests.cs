using MnistEvents.Contracts;
using MnistEvents.Trainer.Cli;

namespace MnistEvents.UnitTests.Trainer;

/// <summary>A training is followed by its id alone, and only the one event that ends a training ends the watch.</summary>
public class RetrainWatchTests
{
    private static readonly Guid Ours = Guid.NewGuid();
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static ModelSaved Saved(string version, Guid? training) => new(version, "ab", "cnn", 0.9, 1, Now, training);

    private static RetrainSettled Settled(string outcome, string? version, string reason, Guid? training = null) => new(training ?? Ours, outcome, version, reason, Now);

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

    public static TheoryData<string, string?, string, RetrainOutcome, string> Endings => new()
    {
        { RetrainSettled.Promoted, "v2", "not worse", RetrainOutcome.Served, "Version v2 serves: not worse" },
        { RetrainSettled.Refused, "v2", "worse by 3 points", RetrainOutcome.Refused, "The gate refused v2: worse by 3 points; the version before it still serves" },
        { RetrainSettled.Superseded, "v2", "v3 was activated", RetrainOutcome.Superseded, "Version v2 was superseded: v3 was activated" },
        { RetrainSettled.Refused, null, "epochs must be between 1 and 30", RetrainOutcome.Failed, "the controller refused the request: epochs must be between 1 and 30" },
        { RetrainSettled.Failed, null, "training: out of memory", RetrainOutcome.Failed, "failed: training: out of memory" },
    };

    [Theory]
    [MemberData(nameof(Endings))]
    public void TheTrainingsRetrainSettledDecidesHowTheWatchEnds(string outcome, string? version, string reason, RetrainOutcome expected, string words)
    {
        Assert.Equal(expected, Watch([Saved("v2", Ours), Settled(outcome, version, reason)], out var output));
        Assert.Contains(words, output);
    }

    [Fact]
    public void ARefusalNamesTheVersionThatStillServesAsTheJudgementSawIt()
    {
        var judged = new CandidateJudged(Ours, "v2", "v1", false, false, "worse", 0.9, 0.9, 0.9, 0.9, 0.5, 0, null, null, 0, 0, 0, null, Now);

        Assert.Equal(RetrainOutcome.Refused, Watch([judged, Settled(RetrainSettled.Refused, "v2", "worse")], out var output));
        Assert.Contains("The gate refused v2: worse; v1 still serves", output);
    }

    [Fact]
    public void NothingButItsOwnRetrainSettledEndsIt()
    {
        var judged = new CandidateJudged(Ours, "v2", "v1", true, false, "not worse", 0.9, 0.9, 0.9, 0.9, 0.5, 0, null, null, 0, 0, 500, null, Now);
        var waiting = new PromotionDecided("v2", "v1", false, false, "not worse", 0.9, 0.9, 0.9, 0.9, 0.5, Ours, Now, Pending: true, ShadowPredictions: 500);
        object[] events =
        [
            Saved("v2", Ours), judged, waiting, new TrainingFailed(Guid.NewGuid(), "another's", Now),
            Settled(RetrainSettled.Promoted, "v9", "another's", Guid.NewGuid()),
            new ModelActivated("v2", "ab", "cnn", 0.9, Now, "v1", "a person", Now),
        ];

        Assert.Null(Watch(events, out var output));
        Assert.Contains("The gate passed v2: not worse", output);
        Assert.Contains("v2 serves once the replicas have shadowed it on 500 live digits", output);
        Assert.DoesNotContain("another's", output);
    }
}
