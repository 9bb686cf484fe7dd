using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Launcher;

/// <summary>
/// In a cluster, each retrain request becomes a trainer Job made from k8s/'s own trainer Job. Settings out of range,
/// or a training still running, are refused with the reason (<c>RetrainRejected</c>); the Job's trainer announces the rest.
/// </summary>
public sealed class RequestRetrainJobConsumer(TrainingJobs jobs, JobWatcher watcher, TimeProvider time,
    ILogger<RequestRetrainJobConsumer> logger) : IConsumer<RequestRetrain>
{
    public async Task Consume(ConsumeContext<RequestRetrain> context)
    {
        var request = RetrainRequests.Of(context, time);
        var refusal = RetrainRules.Refusal(request.Epochs, request.BatchSize, request.LearningRate, request.Limit, request.ShadowPredictions)
            ?? (await jobs.RunningAsync(context.CancellationToken) is { } running
                ? $"training {running} is still running; ask again when it has finished"
                : null);
        if (refusal is not null)
        {
            logger.LogWarning("Refusing retrain {TrainingId}: {Reason}", request.TrainingId, refusal);
            await context.Publish(new RetrainRejected(request.TrainingId, refusal, time.GetUtcNow()));
            return;
        }

        var name = await jobs.LaunchAsync(request, context.CancellationToken);
        watcher.Watch(name, request.TrainingId);
        logger.LogInformation("Launched training Job {JobName} for retrain {TrainingId} requested by {RequestedBy}", name, request.TrainingId, request.RequestedBy);
    }
}
