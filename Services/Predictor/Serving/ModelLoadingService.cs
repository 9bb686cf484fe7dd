using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Model.Store;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// Loads the model at start-up (waiting for one to appear if there is none yet), announces every model this
/// replica starts serving, and reports the replica on a heartbeat so the gateway knows who is alive.
/// </summary>
public sealed class ModelLoadingService(
    ModelHolder holder,
    PredictorMetrics metrics,
    IBus bus,
    IOptions<PredictorOptions> options,
    ILogger<ModelLoadingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.TorchThreads is { } threads) TorchSharp.torch.set_num_threads(threads);
        var path = options.Value.ModelPath;
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
            if (holder.Manifest is null)
            {
                if (File.Exists(path))
                {
                    try
                    {
                        holder.TrySetInitial(ModelVerifier.Load(path));
                    }
                    catch (ModelStoreException e)
                    {
                        logger.LogError("Cannot serve the model at {ModelPath}: {Reason}", path, e.Message);
                    }
                }
                else if (!waitingLogged)
                {
                    logger.LogInformation("No model at {ModelPath} yet; not ready until one is saved there or announced", Path.GetFullPath(path));
                    waitingLogged = true;
                }
            }

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
                    served?.TrainedAt, metrics.Predictions, DateTimeOffset.UtcNow), stoppingToken);
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
}
