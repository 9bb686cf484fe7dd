using MassTransit;
using MnistEvents.Contracts;

namespace MnistEvents.Launcher;

/// <summary>
/// In a cluster, each of the controller's <see cref="StartTraining"/> becomes a trainer Job made from k8s/'s trainer
/// template; the Job's trainer announces the rest. The controller checked the settings and sends one training at a time.
/// </summary>
public sealed class StartTrainingJobConsumer(TrainingJobs jobs, JobWatcher watcher, ILogger<StartTrainingJobConsumer> logger) : IConsumer<StartTraining>
{
    public async Task Consume(ConsumeContext<StartTraining> context)
    {
        var training = context.Message;
        var name = await jobs.LaunchAsync(training, context.CancellationToken);
        watcher.Watch(name, training.TrainingId);
        logger.LogInformation("Launched training Job {JobName} for training {TrainingId} requested by {RequestedBy}", name, training.TrainingId, training.RequestedBy);
    }
}
