using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using MnistEvents.Contracts;
using MnistEvents.Gateway.Retraining;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// The retrain policy's corrections rule on gateways sharing one model volume, each on MassTransit's test harness: what
/// it asks for (<c>RequestRetrain</c> sent), when it holds back, and what it logs and shows. The corrections are written
/// by the volume's own <see cref="CorrectionsLog"/>, as the gateway keeps them: real MNIST test digits, each a different
/// image, corrected from answers given with 60% confidence (so trusted without a second client, by issue 13's rules).
/// </summary>
public class RetrainPolicyTests
{
    private const int Needed = 6;
    private const int PerClient = 2;

    [Fact]
    public async Task OneClientNeverFiresTheCorrectionsRuleHoweverManyItsTrustedCorrectionsButSeveralClientsFireItOnce()
    {
        var path = Volume();
        await using var gateway = Gateway(path);
        var client = gateway.CreateClient();
        await CorrectAsync(path, clients: ["10.0.0.66"], each: 30);

        var afterOne = await PolicyViews.CheckedAfterAsync(client, DateTimeOffset.UtcNow);
        var rule = Rule(afterOne, RetrainPolicy.CorrectionsRule);
        Assert.Equal($"{PerClient} counted of 30 new trusted correction(s) since the start, from 1 client(s)", rule.GetProperty("now").GetString());
        Assert.False(rule.GetProperty("holds").GetBoolean());
        Assert.Empty(Asked(gateway));

        await CorrectAsync(path, clients: ["10.0.0.7", "10.0.0.8"], each: PerClient, skip: 30);
        await Poll.Until(() => Task.FromResult(Asked(gateway).Count > 0), "the policy asking for a retrain");
        var since = DateTimeOffset.UtcNow;
        var view = await PolicyViews.CheckedAfterAsync(client, since);
        view = await PolicyViews.CheckedAfterAsync(client, view.GetProperty("checkedAt").GetDateTimeOffset());

        var asked = Assert.Single(Asked(gateway));
        Assert.Equal("policy: 6 new trusted corrections since the start (from 3 clients)", asked.RequestedBy);
        Assert.Equal((1, 500), (asked.Epochs, asked.Limit));
        var firing = new PolicyFirings(new ModelVolume(path)).Find("corrections-since-start")!;
        Assert.Equal((asked.TrainingId, asked.RequestedBy), (firing.TrainingId, firing.Reason));
        var recent = view.GetProperty("recent").EnumerateArray().ToList();
        Assert.Equal(["suppressed", "fired"], recent.Select(d => d.GetProperty("outcome").GetString()));
        Assert.StartsWith("it fired for this cause at", recent[0].GetProperty("why").GetString());
        Assert.True(recent[0].GetProperty("times").GetInt32() >= 2, "the repeated suppression is counted, not listed again");
        // Logged once each, however many checks came to the same.
        Assert.Single(gateway.Logs.Entries, e => e.Message.StartsWith("The retrain policy fired (corrections, corrections-since-start)", StringComparison.Ordinal));
        Assert.Single(gateway.Logs.Entries, e => e.Message.StartsWith("The retrain policy held back (corrections, corrections-since-start)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARestartedGatewayAndTwoInstancesOnOneVolumeNeverFireTheSameCauseTwice()
    {
        var path = Volume();
        await CorrectAsync(path, clients: ["10.0.0.1", "10.0.0.2", "10.0.0.3"], each: PerClient);

        // Two instances started together, both seeing the rule hold: one asks.
        var first = Gateway(path);
        var second = Gateway(path);
        var (a, b) = (first.CreateClient(), second.CreateClient());
        await Poll.Until(() => Task.FromResult(Asked(first).Count + Asked(second).Count > 0), "one of the two instances asking");
        var now = DateTimeOffset.UtcNow;
        await PolicyViews.CheckedAfterAsync(a, now);
        await PolicyViews.CheckedAfterAsync(b, now);
        Assert.Equal(1, Asked(first).Count + Asked(second).Count);
        await first.DisposeAsync();
        await second.DisposeAsync();

        // Restarted on the same volume, the rule still holding: held back, and it says why.
        await using var restarted = Gateway(path);
        var view = await PolicyViews.CheckedAfterAsync(restarted.CreateClient(), DateTimeOffset.UtcNow);

        Assert.Empty(Asked(restarted));
        var decision = view.GetProperty("recent").EnumerateArray().Single();
        Assert.Equal(("suppressed", "corrections-since-start"), (decision.GetProperty("outcome").GetString(), decision.GetProperty("cause").GetString()));
        Assert.Equal("corrections-since-start", view.GetProperty("lastFiring").GetProperty("cause").GetString());
    }

    [Fact]
    public async Task NothingIsAskedForWhileATrainingRunsAndTheCauseFiresOnceItEnds()
    {
        var path = Volume();
        await using var gateway = Gateway(path);
        var client = gateway.CreateClient();
        var training = NewId.NextGuid();
        await gateway.Harness.Bus.Publish(new TrainingStarted(training, "cnn", 1, 64, 2, 500, "a trainer", DateTimeOffset.UtcNow));
        await Poll.Until(() => Task.FromResult(gateway.Harness.Consumed.Select<TrainingStarted>().Any()), "the gateway hearing the training start");
        await CorrectAsync(path, clients: ["10.0.0.1", "10.0.0.2", "10.0.0.3"], each: PerClient);

        var view = await PolicyViews.CheckedAfterAsync(client, DateTimeOffset.UtcNow);

        Assert.Empty(Asked(gateway));
        Assert.Equal(training, view.GetProperty("trainingRunning").GetGuid());
        Assert.Equal($"training {training} is running", view.GetProperty("recent")[0].GetProperty("why").GetString());

        await gateway.Harness.Bus.Publish(new TrainingCompleted(training, "v", 0.9, 1, TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow));
        await Poll.Until(() => Task.FromResult(Asked(gateway).Count > 0), "the policy asking once the training ended");
        Assert.Single(Asked(gateway));
    }

    [Fact]
    public async Task ANewCauseWithinTheIntervalIsHeldBackUntilItHasPassed()
    {
        var path = Volume();
        await using (var gateway = Gateway(path, ("RetrainPolicy:IntervalMinutes", "60")))
        {
            await CorrectAsync(path, clients: ["10.0.0.1", "10.0.0.2", "10.0.0.3"], each: PerClient);
            await Poll.Until(() => Task.FromResult(Asked(gateway).Count > 0), "the first firing");

            // A training since (a new version), and as many new trusted corrections after it: a new cause.
            var version = Models.SaveUntrainedVersion(new ModelRegistry(path)).Version;
            await CorrectAsync(path, clients: ["10.0.0.4", "10.0.0.5", "10.0.0.6"], each: PerClient, skip: 20);
            var view = await PolicyViews.CheckedAfterAsync(gateway.CreateClient(), DateTimeOffset.UtcNow);

            Assert.Single(Asked(gateway));
            var held = view.GetProperty("recent")[0];
            Assert.Equal($"corrections-since-{version}", held.GetProperty("cause").GetString());
            Assert.Matches(@"^the policy fired [0-9.]+ min ago \(corrections-since-start, training .+\); at most once every 60 min$", held.GetProperty("why").GetString());
        }

        // The interval passed (here: configured shorter), the new cause fires, and only it.
        await using var later = Gateway(path, ("RetrainPolicy:IntervalMinutes", "0"));
        await Poll.Until(() => Task.FromResult(Asked(later).Count > 0), "the new cause firing");
        await PolicyViews.CheckedAfterAsync(later.CreateClient(), DateTimeOffset.UtcNow);
        Assert.StartsWith("policy: 6 new trusted corrections since ", Assert.Single(Asked(later)).RequestedBy);
    }

    private static string Volume() => Path.Combine(TestData.TempDirectory(), "mnist.pt");

    private static HarnessedGateway Gateway(string path, params (string Key, string Value)[] extra)
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
        return new HarnessedGateway(path, settings);
    }

    private static List<RequestRetrain> Asked(HarnessedGateway gateway) =>
        gateway.Harness.SentSoFar<RequestRetrain>();

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

    private static JsonElement Rule(JsonElement policy, string name) =>
        policy.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == name);
}
