using System.Collections.Concurrent;
using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Model.Networks;
using MnistEvents.Model.Store;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Predictor;

/// <summary>
/// Shadow evaluation in a replica: a kept version run on sampled live batches after the served model answered, compared
/// digit by digit; one batch of 20 real MNIST test digits each time, every batch sampled.
/// </summary>
public class ShadowTests
{
    [Fact]
    public async Task TheServedModelsOwnWeightsAgreeOnEveryDigitAndAnUntrainedModelOnFew()
    {
        var path = Models.SeedCopy(TestData.TempDirectory());
        var registry = new ModelRegistry(path);
        ModelStore.AdoptUnversioned(registry);
        var same = registry.ActiveManifest!;
        var untrained = Models.SaveUntrainedVersion(registry);
        await using var predictor = await PredictorHost.StartAsync(path);
        await predictor.WaitForModelAsync();
        var digits = Enumerable.Range(0, 20).Select(i => TestData.Test.Image(i).ToArray()).ToList();

        var twin = await ShadowAsync(predictor, registry, same, digits);
        var stranger = await ShadowAsync(predictor, registry, untrained, digits);

        Assert.Equal((20, 20), (twin.Compared, twin.Agreed));
        Assert.Equal(twin.ActiveConfidence, twin.CandidateConfidence, 4);
        Assert.True(twin.CandidateMsPerDigit > 0 && twin.ActiveMsPerDigit > 0, $"{twin.CandidateMsPerDigit} / {twin.ActiveMsPerDigit} ms per digit");
        Assert.Equal(20, stranger.Compared);
        Assert.True(stranger.Agreed < 10, $"an untrained MLP agreed on {stranger.Agreed} of 20");
        Assert.Equal(same.Version, stranger.Active);
        // It ran on a thread in the idle scheduling class (policy 5, SCHED_IDLE), which uses only CPU the answering threads leave.
        var shadowThreads = Directory.GetDirectories("/proc/self/task").Where(t => File.ReadAllText(Path.Combine(t, "comm")).Trim() == "shadow")
            .Select(t => File.ReadAllText(Path.Combine(t, "stat"))).ToList();
        Assert.NotEmpty(shadowThreads);
        Assert.All(shadowThreads, stat => Assert.Equal("5", stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[38]));
    }

    [Fact]
    public async Task AShadowWhoseFileIsNotTheAnnouncedOneIsNotRun()
    {
        var path = Models.SeedCopy(TestData.TempDirectory());
        var registry = new ModelRegistry(path);
        ModelStore.AdoptUnversioned(registry);
        var untrained = Models.SaveUntrainedVersion(registry);
        await using var predictor = await PredictorHost.StartAsync(path);
        await predictor.WaitForModelAsync();

        var reports = Collect<ShadowReported>(predictor);
        var heartbeats = Collect<ReplicaReported>(predictor);

        await predictor.Harness.Bus.Publish(Shadow(registry, untrained with { Sha256 = new string('f', 64) }));
        Assert.True(await predictor.Harness.Consumed.Any<ShadowStarted>());
        await predictor.PredictAsync(TestData.Test.Image(0).ToArray());
        // Two heartbeats after the prediction: had the shadow run, the first would already have been followed by its report.
        var after = DateTimeOffset.UtcNow;
        await Poll.Until(() => Task.FromResult(heartbeats.Count(r => r.At > after) >= 2), "two heartbeats after the prediction");

        Assert.Null(predictor.Shadow.Candidate);
        Assert.Empty(reports);
    }

    [Fact]
    public async Task AReplicaThatStartsWhileAVersionIsShadowedShadowsItWithoutBeingTold()
    {
        var path = Models.SeedCopy(TestData.TempDirectory());
        var registry = new ModelRegistry(path);
        ModelStore.AdoptUnversioned(registry);
        var candidate = Models.SaveUntrainedVersion(registry);
        Shadow(registry, candidate);

        await using var predictor = await PredictorHost.StartAsync(path);
        await predictor.WaitForModelAsync();

        await Poll.Until(() => Task.FromResult(predictor.Shadow.Candidate == candidate.Version), $"shadowing {candidate.Version} from the volume's plan");
        registry.ReplaceShadow(null, "a test", "a test");
        await Poll.Until(() => Task.FromResult(predictor.Shadow.Report(null) is null), "shadowing stopped when the plan went away");
    }

    /// <summary>What the gateway does: the plan on the volume, then the event.</summary>
    private static ShadowStarted Shadow(ModelRegistry registry, ModelManifest candidate)
    {
        var plan = new ShadowPlan(candidate.Version, candidate.Sha256, 1, null, "a test", DateTimeOffset.UtcNow);
        registry.ReplaceShadow(plan, "a test", "a test");
        return RegistryEvents.Started(plan);
    }

    private static async Task<ShadowReported> ShadowAsync(PredictorHost predictor, ModelRegistry registry, ModelManifest candidate, IReadOnlyList<byte[]> digits)
    {
        var reports = Collect<ShadowReported>(predictor);
        await predictor.Harness.Bus.Publish(Shadow(registry, candidate));
        await Poll.Until(() => Task.FromResult(predictor.Shadow.Candidate == candidate.Version), $"shadowing {candidate.Version}");
        await predictor.PredictAsync(digits);
        ShadowReported? report = null;
        await Poll.Until(() =>
        {
            report = reports.LastOrDefault(r => r.Candidate == candidate.Version && r.Compared >= digits.Count);
            return Task.FromResult(report is not null);
        }, $"a report comparing {candidate.Version} on {digits.Count} digits");
        return report!;
    }

    // Read as they arrive, not through the harness's lists, which wait for the bus to go quiet (a replica's heartbeat never lets it).
    private static ConcurrentQueue<T> Collect<T>(PredictorHost predictor) where T : class
    {
        var received = new ConcurrentQueue<T>();
        predictor.Harness.Bus.ConnectReceiveEndpoint(e => e.Handler<T>(c =>
        {
            received.Enqueue(c.Message);
            return Task.CompletedTask;
        }));
        return received;
    }
}
