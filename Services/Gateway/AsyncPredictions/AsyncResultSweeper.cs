using MnistEvents.Gateway.OpenInference;

namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>Deletes kept async predictions and async inference requests once past their retention, every minute, and recounts them; forgets pushes owed for them.</summary>
public sealed class AsyncResultSweeper(AsyncResultLog log, AsyncPredictionStore store, OipAsyncRequests inferences, ILogger<AsyncResultSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            do
            {
                try
                {
                    log.Sweep();
                    store.ForgetExpiredPushes();
                    inferences.Sweep();
                }
                catch (IOException e)
                {
                    logger.LogWarning("Could not sweep old async predictions: {Reason}", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
