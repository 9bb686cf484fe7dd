using MnistEvents.Registry;
using Microsoft.AspNetCore.SignalR;
using MnistEvents.Gateway.Lifecycle;
using MnistEvents.Gateway.Models;
using MnistEvents.Gateway.Replicas;

namespace MnistEvents.Gateway.Realtime;

/// <summary>
/// Pushes <c>models</c> (the <see cref="ModelsView"/> of <c>GET /models</c>) to every UI when replicas report, load or
/// refuse a model, and when one stops reporting or the controller reports the drift or the retrain policy: at most
/// once a second, however many replicas beat.
/// </summary>
public sealed class ModelsBroadcaster(ReplicaRegistry registry, ShadowBoard shadows, LifecycleReports reports, ModelCatalog catalog,
    IHubContext<PredictionsHub> hub, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var changed = 1;
        void OnChanged() => Volatile.Write(ref changed, 1);
        registry.Changed += OnChanged;
        shadows.Changed += OnChanged;
        reports.Changed += OnChanged;
        try
        {
            using var timer = new PeriodicTimer(Interval, time);
            var lastLive = "";
            do
            {
                // A replica that stopped reporting changes nothing in the registry; only the view notices it is gone.
                var live = string.Join('\n', registry.View().Replicas.Select(r => r.Replica));
                if (Interlocked.Exchange(ref changed, 0) == 1 || live != lastLive)
                {
                    lastLive = live;
                    // The versions on the volume are read only when there is something to push, not every second.
                    await hub.Clients.All.SendAsync(PredictionsHub.Models, catalog.View(), stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            registry.Changed -= OnChanged;
            shadows.Changed -= OnChanged;
            reports.Changed -= OnChanged;
        }
    }
}
