using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway.Models;
using MnistEvents.Gateway.Realtime;

namespace MnistEvents.Gateway.Replicas;

/// <summary>The predictor replicas this gateway has heard from, fed by their heartbeats and model announcements.</summary>
public sealed class ReplicaRegistry(IOptions<GatewayOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ReplicaStatus> replicas = new();
    private readonly ConcurrentDictionary<string, ServedModelInfo> models = new();
    private readonly ConcurrentQueue<string> rejections = new();

    /// <summary>Raised after every announcement or heartbeat; <see cref="ModelsBroadcaster"/> turns these into pushes.</summary>
    public event Action? Changed;

    public void Loaded(ModelLoaded loaded)
    {
        models.TryAdd(loaded.Version, new ServedModelInfo(loaded.Version, loaded.Architecture, loaded.TestAccuracy, loaded.TrainedAt, loaded.LoadedAt));
        replicas.AddOrUpdate(loaded.Replica,
            _ => new ReplicaStatus(loaded.Replica, loaded.Version, 0, time.GetUtcNow()),
            (_, old) => old with { ModelVersion = loaded.Version, LastSeen = time.GetUtcNow() });
        Changed?.Invoke();
    }

    public void Reported(ReplicaReported report)
    {
        if (report is { ModelVersion: { } version, Architecture: { } architecture, TrainedAt: { } trainedAt })
            models.TryAdd(version, new ServedModelInfo(version, architecture, report.TestAccuracy, trainedAt, report.At));
        replicas[report.Replica] = new ReplicaStatus(report.Replica, report.ModelVersion, report.Predictions, time.GetUtcNow(),
            Math.Max(1, report.BatchConcurrency), report.Host, Math.Max(0, report.HostCores));
        Changed?.Invoke();
    }

    public void Rejected(ModelRejected rejected)
    {
        rejections.Enqueue($"{rejected.RejectedAt:u} {rejected.Replica} refused {rejected.Version}: {rejected.Reason}");
        while (rejections.Count > 10) rejections.TryDequeue(out _);
        Changed?.Invoke();
    }

    /// <summary>
    /// How many batches the live replicas that serve a model run at once, together; 0 while none is known. Replicas that
    /// share a host's cores run no more at once than it has: a third forward pass on two cores only slows the other two,
    /// and the batch it holds could have been one larger (bench/gateway, 3 replicas on 2 cores: 1.10× the requests a
    /// second and 0.82× the p99 with 2 in flight rather than 3).
    /// </summary>
    public int BatchSlots()
    {
        var serving = Live(time.GetUtcNow()).Where(r => r.ModelVersion is not null).ToList();
        return serving.Where(r => r is not { Host: not null, HostCores: > 0 }).Sum(r => r.BatchConcurrency)
            + serving.Where(r => r is { Host: not null, HostCores: > 0 }).GroupBy(r => r.Host)
                .Sum(host => Math.Min(host.Sum(r => r.BatchConcurrency), host.Max(r => r.HostCores)));
    }

    public ModelsView View()
    {
        var now = time.GetUtcNow();
        var live = Live(now).OrderBy(r => r.Replica, StringComparer.Ordinal).ToList();
        var current = live.Where(r => r.ModelVersion is not null)
            .GroupBy(r => r.ModelVersion!)
            .Select(g => models.TryGetValue(g.Key, out var info) ? (Info: info, Count: g.Count()) : (Info: null, Count: 0))
            .Where(x => x.Info is not null)
            .OrderByDescending(x => x.Count).ThenByDescending(x => x.Info!.FirstLoadedAt)
            .Select(x => x.Info)
            .FirstOrDefault();
        return new ModelsView(current, live, rejections.ToArray(), now);
    }

    // A replica not heard from within ReplicaExpirySeconds is gone, for the listing and for the batches it could take.
    private IEnumerable<ReplicaStatus> Live(DateTimeOffset now)
    {
        var cutoff = now - TimeSpan.FromSeconds(options.Value.ReplicaExpirySeconds);
        return replicas.Values.Where(r => r.LastSeen >= cutoff);
    }
}
