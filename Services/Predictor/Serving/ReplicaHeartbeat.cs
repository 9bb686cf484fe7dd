using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Model.Store;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// Loads the model at start-up (waiting for one to appear if there is none yet), compares the volume's manifest with
/// the served model on every heartbeat (a replica that missed a <c>ModelActivated</c>, say while the broker was down,
/// catches up by itself), follows the volume's shadow plan the same way, announces every model this replica starts
/// serving, and reports the replica so the gateway knows who is alive, with what the digits it answered looked like.
/// </summary>
public sealed class ReplicaHeartbeat(
    ModelHolder holder,
    ModelSwapper swapper,
    PredictorMetrics metrics,
    ShadowRunner shadow,
    ShadowFollower shadowPlan,
    LiveInputs inputs,
    ModelVolume volume,
    IBus bus,
    IOptions<PredictorOptions> options,
    ILogger<ReplicaHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.TorchThreads is { } threads) TorchSharp.torch.set_num_threads(threads);
        var path = volume.ModelPath;
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds));
        // A swap wakes the loop at once, so a new model is announced without waiting for the heartbeat.
        using var changed = new SemaphoreSlim(0);
        void OnChanged(ModelManifest _) => changed.Release();
        holder.Changed += OnChanged;
        try
        {
            await RunAsync(path, interval, changed, stoppingToken);
        }
        finally
        {
            holder.Changed -= OnChanged;
        }
    }

    private async Task RunAsync(string path, TimeSpan interval, SemaphoreSlim changed, CancellationToken stoppingToken)
    {
        var announced = (string?)null;
        var waitingLogged = false;

        while (!stoppingToken.IsCancellationRequested)
        {
            if (!File.Exists(path))
            {
                if (!waitingLogged)
                {
                    logger.LogInformation("No model at {ModelPath} yet; not ready until one is saved there", Path.GetFullPath(path));
                    waitingLogged = true;
                }
            }
            else
            {
                await CatchUpAsync(path, stoppingToken);
            }

            shadowPlan.CatchUp();
            try
            {
                if (holder.Manifest is { } manifest && manifest.Sha256 != announced)
                {
                    await bus.Publish(new ModelLoaded(ReplicaIdentity.Current, manifest.Version, manifest.Sha256, manifest.Architecture,
                        manifest.TestAccuracy, manifest.TrainedAt, DateTimeOffset.UtcNow), stoppingToken);
                    logger.LogInformation("Serving model {ModelVersion} ({Architecture}, test accuracy {TestAccuracy:P2})",
                        manifest.Version, manifest.Architecture, manifest.TestAccuracy);
                    announced = manifest.Sha256;
                }
                var served = holder.Manifest;
                await bus.Publish(new ReplicaReported(ReplicaIdentity.Current, served?.Version, served?.Architecture, served?.TestAccuracy,
                    served?.TrainedAt, metrics.Predictions, DateTimeOffset.UtcNow, inputs.For(served?.Version), options.Value.BatchConcurrency,
                    HostCores.Host, HostCores.Shared), stoppingToken);
                if (shadow.Report(served?.Version) is { } comparison) await bus.Publish(comparison, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not report this replica yet: {Reason}", e.Message);
            }

            try
            {
                await changed.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CatchUpAsync(string path, CancellationToken stoppingToken)
    {
        string? onVolume;
        try
        {
            onVolume = ModelStore.ReadManifest(path)?.Sha256;
        }
        catch (ModelStoreException)
        {
            onVolume = null; // a torn manifest: the model itself is checked on load
        }
        // A bare file without a manifest (the seed's) is read at start and when announced; a manifest says when it changed.
        if (holder.Manifest is { } served && (onVolume is null || onVolume == served.Sha256)) return;
        try
        {
            await swapper.TryServeAsync(onVolume, null, bus, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not compare the model on the volume with the one served yet: {Reason}", e.Message);
        }
    }
}
