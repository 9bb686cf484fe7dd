using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway;
using MnistEvents.Gateway.Predictions;
using MnistEvents.Gateway.Replicas;
using MnistEvents.Predictor.Serving;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// The gateway keeps no more coalesced batches in flight than the live replicas run at once, as their heartbeats say
/// (and no more than a host's cores for the replicas sharing them): a batch beyond that would wait in the broker, or for a
/// core, where later digits can no longer join it.
/// </summary>
public class CoalescerInFlightTests
{
    [Fact]
    public void OnlyLiveReplicasServingAModelCountWithTheBatchesEachSaysItRuns()
    {
        var time = new ManualTime();
        var registry = new ReplicaRegistry(Options.Create(new GatewayOptions { ReplicaExpirySeconds = 15 }), time);
        Assert.Equal(0, registry.BatchSlots());

        registry.Reported(Report("a", "v1", batchConcurrency: 2));
        registry.Reported(Report("b", "v1", batchConcurrency: 1));
        registry.Reported(Report("waiting", null, batchConcurrency: 4)); // no model yet: it takes no batch
        Assert.Equal(3, registry.BatchSlots());

        time.Now += TimeSpan.FromSeconds(10);
        registry.Reported(Report("b", "v1", batchConcurrency: 1));
        time.Now += TimeSpan.FromSeconds(10); // "a" last heard 20 s ago: gone
        Assert.Equal(1, registry.BatchSlots());

        // A replica announcing its model before its first heartbeat counts as one batch at a time until it says more.
        registry.Loaded(new ModelLoaded("c", "v1", new string('0', 64), "mlp", null, time.Now, time.Now));
        Assert.Equal(2, registry.BatchSlots());
    }

    [Fact]
    public void ReplicasSharingAHostsCoresRunNoMoreBatchesAtOnceThanItHas()
    {
        var registry = new ReplicaRegistry(Options.Create(new GatewayOptions { ReplicaExpirySeconds = 15 }), new ManualTime());

        // Three replicas on one 2-core machine with no CPU limit of their own, as the benches and the fault suite run them.
        foreach (var name in (string[])["p0", "p1", "p2"]) registry.Reported(Report("box-" + name, "v1", 1, host: "box", hostCores: 2));
        Assert.Equal(2, registry.BatchSlots());

        // One on the same machine with a CPU limit of its own (0: its cores are not shared), one on a machine of 4 cores,
        // and one whose heartbeat names no host: each runs what it says.
        registry.Reported(Report("box-limited", "v1", 1, host: "box", hostCores: 0));
        registry.Reported(Report("big-0", "v1", 3, host: "big", hostCores: 4));
        registry.Reported(Report("older", "v1", 2));
        Assert.Equal(2 + 1 + 3 + 2, registry.BatchSlots());

        // Two on the 4-core machine running 3 each share its 4 cores.
        registry.Reported(Report("big-1", "v1", 3, host: "big", hostCores: 4));
        Assert.Equal(2 + 1 + 4 + 2, registry.BatchSlots());
    }

    [Theory]
    [InlineData(2, 8, 2)] // fewer than the cap: what the replica runs
    [InlineData(3, 2, 2)] // more than the cap: the cap
    public async Task TheLimitFollowsTheReplicasHeartbeatUpToTheCap(int batchConcurrency, int cap, int expected)
    {
        await using var app = new HarnessedAllInOne(Models.SeedCopy(TestData.TempDirectory()), new Dictionary<string, string>
        {
            ["Predictor:BatchConcurrency"] = batchConcurrency.ToString(),
            ["Gateway:CoalescerMaxInFlight"] = cap.ToString(),
        });
        var client = app.CreateClient();
        var coalescer = app.Services.GetRequiredService<PredictionCoalescer>();
        var replicas = app.Services.GetRequiredService<ReplicaRegistry>();

        await Poll.Until(() => Task.FromResult(replicas.View().Replicas.Any(r => r.BatchConcurrency == batchConcurrency)),
            "the replica's heartbeat saying how many batches it runs at once");

        // The replica shares this machine's cores with the rest of the process: no more than those at once either.
        Assert.Equal(HostCores.Shared > 0 ? Math.Min(expected, HostCores.Shared) : expected, coalescer.InFlightLimit);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0)))).StatusCode);
    }

    private static ReplicaReported Report(string replica, string? version, int batchConcurrency, string? host = null, int hostCores = 0) =>
        new(replica, version, version is null ? null : "mlp", null, null, 0, DateTimeOffset.UtcNow, null, batchConcurrency, host, hostCores);
}
