using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Trainer.Worker;

/// <summary>
/// Takes a retrain request off the queue: refuses settings out of range with a reason, and otherwise writes it to the
/// <see cref="TrainingJournal"/>, which <see cref="TrainingWorker"/> trains from, one at a time. The message is done
/// with as soon as it is written down, however long the training takes.
/// </summary>
public sealed class RequestRetrainConsumer(TrainingJournal journal, IOptions<TrainerOptions> options, TimeProvider time, ILogger<RequestRetrainConsumer> logger)
    : IConsumer<RequestRetrain>
{
    public async Task Consume(ConsumeContext<RequestRetrain> context)
    {
        var request = RetrainRequests.Of(context, time);
        var settings = options.Value;
        if (RetrainRules.Refusal(request.Epochs ?? settings.DefaultEpochs, request.BatchSize, request.LearningRate, request.Limit, request.ShadowPredictions) is { } reason)
        {
            logger.LogWarning("Refusing retrain {TrainingId}: {Reason}", request.TrainingId, reason);
            await context.Publish(new RetrainRejected(request.TrainingId, reason, DateTimeOffset.UtcNow));
            return;
        }
        if (journal.TryAdd(request)) logger.LogInformation("Retrain {TrainingId} queued", request.TrainingId);
        else logger.LogInformation("Retrain {TrainingId} was already taken on; this copy is ignored", request.TrainingId);
    }
}
