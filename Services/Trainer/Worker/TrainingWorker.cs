using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Model.Training;
using MnistEvents.Registry;
using MnistEvents.Trainer.Training;

namespace MnistEvents.Trainer.Worker;

/// <summary>Trains the journal's trainings one at a time, oldest first, resuming any a restart interrupted.</summary>
public sealed class TrainingWorker(TrainingJournal journal, IBus bus, ModelRegistry registry, CorrectionsLog corrections,
    IOptions<TrainerOptions> options, ILogger<TrainingRunner> runnerLogger, ILogger<TrainingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runner = new TrainingRunner(new BusAnnouncer(bus), runnerLogger);
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
                        logger.LogInformation("Resuming training {TrainingId}: a restart interrupted it", request.TrainingId);
                    journal.Mark(request, JournalEntry.Running);
                    var training = new TrainingOptions
                    {
                        Epochs = request.Epochs ?? settings.DefaultEpochs,
                        BatchSize = request.BatchSize ?? defaults.BatchSize,
                        LearningRate = request.LearningRate,
                        Limit = request.Limit,
                    };
                    var report = await runner.RunAsync(new TrainingRun(request.TrainingId, training,
                        settings.Promotion(request.PromoteRegardless, request.ShadowPredictions), settings.DataDirectory, registry, corrections,
                        $"training {request.TrainingId}", request.RequestedBy), cancellationToken: stoppingToken);
                    // Stopped mid-run, it stays "running" in the journal and is trained again at the next start.
                    if (stoppingToken.IsCancellationRequested) return;
                    journal.Mark(request, report.Succeeded ? JournalEntry.Done : JournalEntry.Failed);
                }
                await journal.WaitForWorkAsync(TimeSpan.FromSeconds(30), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
