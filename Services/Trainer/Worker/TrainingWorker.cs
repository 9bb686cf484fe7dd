using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Model.Training;

namespace MnistEvents.Trainer.Worker;

/// <summary>Trains the journal's requests one at a time, oldest first, resuming any a restart interrupted.</summary>
public sealed class TrainingWorker(TrainingJournal journal, IBus bus, IServiceProvider services, IOptions<TrainerOptions> options,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runner = ActivatorUtilities.CreateInstance<TrainingRunner>(services, (IPublishEndpoint)bus);
        var settings = options.Value;
        var defaults = new TrainingOptions();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (var entry in journal.Unfinished())
                {
                    var request = entry.Request;
                    if (entry.State == JournalEntry.Running)
                        logger.LogInformation("Resuming retrain {TrainingId}: a restart interrupted it", request.TrainingId);
                    journal.Mark(request, JournalEntry.Running);
                    var training = new TrainingOptions
                    {
                        Epochs = request.Epochs ?? settings.DefaultEpochs,
                        BatchSize = request.BatchSize ?? defaults.BatchSize,
                        LearningRate = request.LearningRate,
                        Limit = request.Limit,
                    };
                    var outcome = await runner.RunAsync(request.TrainingId, training, settings.Promotion(request.PromoteRegardless, request.ShadowPredictions), settings.DataDirectory,
                        settings.ModelPath, cancellationToken: stoppingToken);
                    // Stopped mid-run, it stays "running" in the journal and is trained again at the next start.
                    if (stoppingToken.IsCancellationRequested) return;
                    journal.Mark(request, outcome is null ? JournalEntry.Failed : JournalEntry.Done);
                }
                await journal.WaitForWorkAsync(TimeSpan.FromSeconds(30), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
