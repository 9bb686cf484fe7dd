using MnistEvents.Contracts;
using MnistEvents.Controller.Policy;
using MnistEvents.Controller.Retraining;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Controller;

/// <summary>
/// The retrain policy's corrections rule in the controller, on MassTransit's test harness: what it asks for
/// (<see cref="PolicyAsked"/> sent to the state machine), when it holds back, and what it logs and publishes
/// (<see cref="RetrainPolicyChecked"/>, which every gateway shows). The corrections are written by the volume's own
/// <see cref="CorrectionsLog"/>, as the gateway keeps them: real MNIST test digits, each a different image, corrected
/// from answers given with 60% confidence (so trusted without a second client, by issue 13's rules).
/// </summary>
public class RetrainPolicyTests
{
    private const int Needed = 6;
    private const int PerClient = 2;

    [Fact]
    public async Task OneClientNeverFiresTheCorrectionsRuleHoweverManyItsTrustedCorrectionsButSeveralClientsFireItOnce()
    {
        var path = Volume();
        await using var controller = await StartAsync(path);
        await CorrectAsync(path, clients: ["10.0.0.66"], each: 30);

        var afterOne = await CheckedAfterAsync(controller, DateTimeOffset.UtcNow);
        var rule = afterOne.Rules.Single(r => r.Rule == RetrainPolicy.CorrectionsRule);
        Assert.Equal($"{PerClient} counted of 30 new trusted correction(s) since the start, from 1 client(s)", rule.Now);
        Assert.False(rule.Holds);
        Assert.Empty(Asked(controller));

        await CorrectAsync(path, clients: ["10.0.0.7", "10.0.0.8"], each: PerClient, skip: 30);
        await Poll.Until(() => Task.FromResult(Asked(controller).Count > 0), "the policy asking for a retrain");
        var view = await CheckedAfterAsync(controller, DateTimeOffset.UtcNow);
        view = await CheckedAfterAsync(controller, view.CheckedAt!.Value);

        var asked = Assert.Single(Asked(controller));
        Assert.Equal("policy: 6 new trusted corrections since the start (from 3 clients)", asked.Request.RequestedBy);
        Assert.Equal((1, 500), (asked.Request.Epochs, asked.Request.Limit));
        // The training keeps what fired it: that is the cause's record.
        var training = controller.Trainings.Find(asked.Request.TrainingId)!;
        Assert.Equal((RetrainPolicy.CorrectionsRule, "corrections-since-start"), (training.Rule, training.Cause));
        Assert.Equal(("corrections-since-start", asked.Request.TrainingId), (view.LastFiring!.Cause, view.LastFiring.TrainingId));
        Assert.Equal(["suppressed", "fired"], view.Recent.Select(d => d.Outcome));
        Assert.StartsWith("training ", view.Recent[0].Why);
        Assert.True(view.Recent[0].Times >= 2, "the repeated suppression is counted, not listed again");
        Assert.Single(controller.Logs.Entries, e => e.Message.StartsWith("The retrain policy fired (corrections, corrections-since-start)", StringComparison.Ordinal));
        Assert.Single(controller.Logs.Entries, e => e.Message.StartsWith("The retrain policy held back (corrections, corrections-since-start)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARestartedControllerNeverFiresTheSameCauseTwice()
    {
        var path = Volume();
        await CorrectAsync(path, clients: ["10.0.0.1", "10.0.0.2", "10.0.0.3"], each: PerClient);
        Guid firstTraining;
        await using (var first = await StartAsync(path))
        {
            await Poll.Until(() => Task.FromResult(Asked(first).Count > 0), "the policy asking");
            firstTraining = Assert.Single(Asked(first)).Request.TrainingId;
            // Its training ends (no trainer here), as a trainer ends one: after it was told to start it.
            var training = firstTraining;
            await Poll.Until(() => Task.FromResult(first.Started().Any(s => s.TrainingId == training)), "the training dispatched");
            await first.PublishAsync(new TrainingFailed(firstTraining, "no trainer in this test", DateTimeOffset.UtcNow));
            var ended = await first.StateAsync(firstTraining, "Failed");
            // The record a restart reads: the training keeps the cause it was asked for.
            Assert.Equal((RetrainPolicy.CorrectionsRule, "corrections-since-start"), (ended.Rule, ended.Cause));
        }

        // Restarted on the same volume, the rule still holding: held back, and it says why.
        await using var restarted = await StartAsync(path);
        var view = await CheckedAfterAsync(restarted, DateTimeOffset.UtcNow);

        Assert.True(Asked(restarted).Count == 0, $"""
            the restarted controller asked again. The trainings it reads now:
            {string.Join("\n", restarted.Trainings.All().Select(t => $"{t.CorrelationId} {t.CurrentState} rule={t.Rule} cause={t.Cause}"))}
            Its log:
            {string.Join("\n", restarted.Logs.Entries.Select(e => e.Message))}
            """);
        var decision = Assert.Single(view.Recent);
        Assert.Equal(("suppressed", "corrections-since-start"), (decision.Outcome, decision.Cause));
        Assert.StartsWith("it fired for this cause at ", decision.Why);
        Assert.Equal(("corrections-since-start", firstTraining), (view.LastFiring!.Cause, view.LastFiring.TrainingId));
    }

    [Fact]
    public async Task NothingIsAskedForWhileATrainingRunsAndTheCauseFiresOnceItEnds()
    {
        var path = Volume();
        await using var controller = await StartAsync(path);
        var training = Guid.NewGuid();
        await controller.PublishAsync(new TrainingStarted(training, "cnn", 1, 64, 2, 500, "a trainer", DateTimeOffset.UtcNow));
        await controller.StateAsync(training, "Training");
        await CorrectAsync(path, clients: ["10.0.0.1", "10.0.0.2", "10.0.0.3"], each: PerClient);

        var view = await CheckedAfterAsync(controller, DateTimeOffset.UtcNow);

        Assert.Empty(Asked(controller));
        Assert.Equal(training, view.TrainingRunning);
        Assert.Equal($"training {training} is running", view.Recent[0].Why);

        await controller.PublishAsync(new TrainingFailed(training, "stopped", DateTimeOffset.UtcNow));
        await Poll.Until(() => Task.FromResult(Asked(controller).Count > 0), "the policy asking once the training ended");
        Assert.Single(Asked(controller));
    }

    [Fact]
    public async Task ANewCauseWithinTheIntervalIsHeldBackUntilItHasPassed()
    {
        var path = Volume();
        await using (var controller = await StartAsync(path, ("RetrainPolicy:IntervalMinutes", "60")))
        {
            await CorrectAsync(path, clients: ["10.0.0.1", "10.0.0.2", "10.0.0.3"], each: PerClient);
            await Poll.Until(() => Task.FromResult(Asked(controller).Count > 0), "the first firing");
            var first = Asked(controller)[0].Request.TrainingId;
            await controller.PublishAsync(new TrainingFailed(first, "no trainer in this test", DateTimeOffset.UtcNow));
            await controller.StateAsync(first, "Failed");

            // A training since (a new version), and as many new trusted corrections after it: a new cause.
            var version = Models.SaveUntrainedVersion(new ModelRegistry(path)).Version;
            await CorrectAsync(path, clients: ["10.0.0.4", "10.0.0.5", "10.0.0.6"], each: PerClient, skip: 20);
            var view = await CheckedAfterAsync(controller, DateTimeOffset.UtcNow);

            Assert.Single(Asked(controller));
            var held = view.Recent[0];
            Assert.Equal($"corrections-since-{version}", held.Cause);
            Assert.Matches(@"^the policy fired [0-9.]+ min ago \(corrections-since-start, training .+\); at most once every 60 min$", held.Why);
        }

        // The interval passed (here: configured shorter), the new cause fires, and only it.
        await using var later = await StartAsync(path, ("RetrainPolicy:IntervalMinutes", "0"));
        await Poll.Until(() => Task.FromResult(Asked(later).Count > 0), "the new cause firing");
        await CheckedAfterAsync(later, DateTimeOffset.UtcNow);
        Assert.StartsWith("policy: 6 new trusted corrections since ", Assert.Single(Asked(later)).Request.RequestedBy);
    }

    private static string Volume() => Path.Combine(TestData.TempDirectory(), "mnist.pt");

    private static Task<ControllerHost> StartAsync(string path, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["RetrainPolicy:Enabled"] = "true",
            ["RetrainPolicy:CheckSeconds"] = "0.2",
            ["RetrainPolicy:TrustedCorrections"] = $"{Needed}",
            ["RetrainPolicy:CountedPerClient"] = $"{PerClient}",
            ["RetrainPolicy:DriftAbove"] = "0",
            ["RetrainPolicy:IntervalMinutes"] = "0",
            ["RetrainPolicy:Epochs"] = "1",
            ["RetrainPolicy:Limit"] = "500",
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return ControllerHost.StartAsync(path, null, [.. settings.Select(s => (s.Key, s.Value))]);
    }

    private static List<PolicyAsked> Asked(ControllerHost controller) => controller.Harness.SentSoFar<PolicyAsked>();

    /// <summary>The policy as published by the first check that began after <paramref name="after"/>.</summary>
    private static async Task<RetrainPolicyChecked> CheckedAfterAsync(ControllerHost controller, DateTimeOffset after)
    {
        RetrainPolicyChecked? found = null;
        await Poll.Until(() => Task.FromResult((found = controller.Harness.PublishedSoFar<RetrainPolicyChecked>().LastOrDefault(v => v.CheckedAt > after)) is not null),
            $"a check of the retrain policy after {after:O}");
        return found!;
    }

    // Each client corrects `each` different test digits, the images after the first `skip`.
    private static async Task CorrectAsync(string path, string[] clients, int each, int skip = 0)
    {
        using var log = new CorrectionsLog(new ModelVolume(path), 100_000);
        var image = skip;
        foreach (var client in clients)
        for (var i = 0; i < each; i++, image++)
        {
            var label = TestData.Test.Labels[image];
            var (outcome, _) = await log.AddAsync(new CorrectionRecord(Guid.NewGuid(), label, (label + 1) % 10, "a version", TestData.Test.Image(image).ToArray(),
                DateTimeOffset.UtcNow, client, 0.6), CancellationToken.None);
            Assert.Equal(CorrectionOutcome.Recorded, outcome);
        }
    }
}
