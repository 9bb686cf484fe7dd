using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using MnistEvents.Contracts;
using MnistEvents.Controller.Policy;
using MnistEvents.Controller.Retraining;
using MnistEvents.Imaging.Profiles;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Store;
using MnistEvents.Model.Training;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Controller;

/// <summary>
/// The retrain policy's drift and accuracy rules, the controller's, on the embedded default (its bus on MassTransit's test harness), with a
/// real predictor serving the seed's MLP, adopted as a version with the data profile the gate gives it
/// (<see cref="ProfiledSeed"/>). The trainer worker has no MNIST files here, so a retrain the policy
/// asks for fails at once (<c>TrainingFailed</c>): these tests are about the asking, and a training would hold both cores.
/// </summary>
public class SelfRetrainTests
{
    private static readonly Lazy<LoadedModel> Seed = new(() => ModelStore.Load(TestData.Fixture("seed_mlp.pt")));

    [Fact]
    public async Task AnOffCentreStreamRaisesTheDriftScorePastTheThresholdAndTheControllerAsksForOneRetrainAndARestartDoesNotAskAgain()
    {
        var (path, seed) = ProfiledSeed.In(TestData.TempDirectory());
        await using (var system = Start(path))
        {
            var client = system.CreateClient();
            await PredictAsync(system, DriftedDigits.Plain(300, seed: 1));
            var familiar = await DriftAsync(client, d => d.GetProperty("current").GetProperty("digits").GetInt64() >= 300
                && d.GetProperty("current").GetProperty("state").GetString() == "scored");
            Assert.True(Score(familiar) < InputProfiles.Shifted, $"plain MNIST digits scored {Score(familiar)}");
            Assert.Empty(Asked(system));

            await PredictAsync(system, DriftedDigits.OffCentre(600, seed: 2));
            var drifted = await DriftAsync(client, d => Score(d) > InputProfiles.Shifted);
            Assert.Contains(drifted.GetProperty("current").GetProperty("feature").GetString(), new[] { "centreX", "centreY" });
            Assert.Contains(drifted.GetProperty("history").EnumerateArray(), p => p.GetProperty("score") is { ValueKind: JsonValueKind.Number } s && s.GetDouble() < InputProfiles.Shifted);
            await Poll.Until(() => Task.FromResult(Asked(system).Count > 0), "the drift rule asking for a retrain");
            await HeldBackAsync(system, $"drift-on-{seed}");

            var asked = Assert.Single(Asked(system));
            Assert.StartsWith($"policy: live digits drifted from {seed}'s data, score ", asked.Request.RequestedBy);
            var metrics = await client.GetStringAsync("/metrics");
            Assert.Matches("mnist_controller_drift_score\\{[^}]*feature=\"overall\"[^}]*\\} [0-9.]+", metrics);
            Assert.Contains("feature=\"centreX\"", metrics);
        }

        await using var restarted = Start(path);
        await PredictAsync(restarted, DriftedDigits.OffCentre(600, seed: 4));
        await DriftAsync(restarted.CreateClient(), d => Score(d) > InputProfiles.Shifted);
        await HeldBackAsync(restarted, $"drift-on-{seed}");

        Assert.Empty(Asked(restarted));
    }

    [Fact]
    public async Task TheServedModelMisreadingTheLatestTrustedCorrectionsAsksOnceAndARestartDoesNotAskAgain()
    {
        var (path, seed) = ProfiledSeed.In(TestData.TempDirectory());
        // Test digits the seed misreads (less than 99% sure, so one client's correction is trusted), corrected to their true labels by four clients, two each.
        var misread = Misread(8);
        using (var log = new CorrectionsLog(new ModelVolume(path), 100_000))
            foreach (var (image, index) in misread.Select((image, index) => (image, index)))
                await log.AddAsync(new CorrectionRecord(Guid.NewGuid(), TestData.Test.Labels[image], Answer(image).Digit, seed, TestData.Test.Image(image).ToArray(),
                    DateTimeOffset.UtcNow, $"10.0.0.{index / 2 + 1}", Answer(image).Confidence), CancellationToken.None);
        (string, string)[] accuracyRule = [("RetrainPolicy:DriftAbove", "0"), ("RetrainPolicy:AccuracyBelow", "0.5"), ("RetrainPolicy:ScoredCorrections", "8")];

        await using (var system = Start(path, accuracyRule))
        {
            var client = system.CreateClient();
            await Poll.Until(() => Task.FromResult(Asked(system).Count > 0), "the accuracy rule asking for a retrain");
            await HeldBackAsync(system, $"accuracy-of-{seed}");

            var asked = Assert.Single(Asked(system));
            Assert.Equal($"policy: {seed} labels 0% of the latest 8 trusted corrections as people did, below 50%", asked.Request.RequestedBy);
            var policy = await PolicyViews.ChecksAsync(client, 1);
            var rule = policy.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == RetrainPolicy.AccuracyRule);
            Assert.Equal($"accuracy-of-{seed}", rule.GetProperty("cause").GetString());
        }

        await using var restarted = Start(path, accuracyRule);
        await HeldBackAsync(restarted, $"accuracy-of-{seed}");
        Assert.Empty(Asked(restarted));
    }

    /// <summary>Waits until the instance's policy has held <paramref name="cause"/> back (it fired, here or elsewhere), then for three more checks.</summary>
    private static async Task HeldBackAsync(HarnessedAllInOne system, string cause)
    {
        var client = system.CreateClient();
        await Poll.Until(async () => (await PolicyViews.ChecksAsync(client, 1)).GetProperty("recent").EnumerateArray()
            .Any(d => d.GetProperty("cause").GetString() == cause && d.GetProperty("outcome").GetString() == RetrainPolicy.Suppressed), $"{cause} held back");
        await PolicyViews.ChecksAsync(client, 3);
    }

    private static HarnessedAllInOne Start(string path, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Trainer:DataDirectory"] = TestData.TempDirectory(),
            ["Drift:WindowMinutes"] = "2",
            ["Drift:MinDigits"] = "200",
            ["Drift:SampleSeconds"] = "0.5",
            ["RetrainPolicy:Enabled"] = "true",
            ["RetrainPolicy:CheckSeconds"] = "0.5",
            ["RetrainPolicy:TrustedCorrections"] = "0",
            ["RetrainPolicy:DriftMinutes"] = "0.05",
            ["RetrainPolicy:IntervalMinutes"] = "0",
            ["RetrainPolicy:Epochs"] = "1",
            ["RetrainPolicy:Limit"] = "500",
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return new HarnessedAllInOne(path, settings);
    }

    // As another producer sends digits to the predictors (a tensor API, another system): whole batches of MNIST-form pixels.
    private static async Task PredictAsync(HarnessedAllInOne system, byte[] pixels)
    {
        var predictors = system.Harness.Bus.CreateRequestClient<PredictDigitBatch>(QueueNames.Address(QueueNames.PredictDigitBatch), RequestTimeout.After(s: 30));
        const int batch = 50;
        for (var start = 0; start < pixels.Length / MnistDataset.Pixels; start += batch)
        {
            var images = Enumerable.Range(start, batch).Select(i => pixels.AsSpan(i * MnistDataset.Pixels, MnistDataset.Pixels).ToArray()).ToList();
            var answer = await predictors.GetResponse<DigitBatchPredicted>(PredictorHost.Batch(images));
            Assert.Equal(batch, answer.Message.Predictions().Length);
        }
    }

    private static async Task<JsonElement> DriftAsync(HttpClient client, Func<JsonElement, bool> condition)
    {
        JsonElement drift = default;
        await Poll.Until(async () => condition(drift = await client.GetFromJsonAsync<JsonElement>("/models/drift")), "the drift score");
        return drift;
    }

    private static double Score(JsonElement drift) =>
        drift.GetProperty("current").GetProperty("score") is { ValueKind: JsonValueKind.Number } score ? score.GetDouble() : double.NaN;

    private static List<PolicyAsked> Asked(HarnessedAllInOne system) =>
        system.Harness.SentSoFar<PolicyAsked>();

    private static (int Digit, float Confidence) Answer(int image)
    {
        var p = DigitClassifier.Probabilities(Seed.Value.Network, TestData.Test.Image(image), 1)[0];
        var digit = DigitClassifier.ArgMax(p);
        return (digit, p[digit]);
    }

    private static List<int> Misread(int count) =>
        [.. Enumerable.Range(0, TestData.Test.Count).Where(i => Answer(i) is var answer && answer.Digit != TestData.Test.Labels[i] && answer.Confidence < 0.99).Take(count)];
}
