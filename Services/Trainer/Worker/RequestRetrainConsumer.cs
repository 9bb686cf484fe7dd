using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Model.Training;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Trainer.Worker;

/// <summary>Trains a new model per request, one at a time (requests arriving meanwhile wait in the queue); settings out of range are refused with a reason.</summary>
public sealed class RequestRetrainConsumer(TrainingRunner runner, IOptions<TrainerOptions> options, ILogger<RequestRetrainConsumer> logger)
    : IConsumer<RequestRetrain>
{
    public async Task Consume(ConsumeContext<RequestRetrain> context)
    {
        var request = context.Message;
        var settings = options.Value;
        var training = new TrainingOptions
        {
            Epochs = request.Epochs ?? settings.DefaultEpochs,
            BatchSize = request.BatchSize ?? 64,
            LearningRate = request.LearningRate ?? 1.0,
            Limit = request.Limit,
        };

        if (RetrainRules.Refusal(training.Epochs, training.BatchSize, training.LearningRate, training.Limit, settings.MaxEpochs) is { } reason)
        {
            logger.LogWarning("Refusing retrain {TrainingId}: {Reason}", request.TrainingId, reason);
            await context.Publish(new RetrainRejected(request.TrainingId, reason, DateTimeOffset.UtcNow));
            return;
        }
        await runner.RunAsync(request.TrainingId, training, settings.DataDirectory, settings.ModelPath, cancellationToken: context.CancellationToken);
    }
}
