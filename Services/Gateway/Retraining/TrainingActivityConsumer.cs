using MassTransit;
using MnistEvents.Contracts;

namespace MnistEvents.Gateway.Retraining;

/// <summary>Feeds <see cref="TrainingActivity"/> from the trainers' events, so the retrain policy never asks while a training runs.</summary>
public sealed class TrainingActivityConsumer(TrainingActivity activity) :
    IConsumer<TrainingStarted>, IConsumer<TrainingProgressed>, IConsumer<TrainingCompleted>, IConsumer<TrainingFailed>
{
    public Task Consume(ConsumeContext<TrainingStarted> context) => Heard(context.Message.TrainingId);

    public Task Consume(ConsumeContext<TrainingProgressed> context) => Heard(context.Message.TrainingId);

    public Task Consume(ConsumeContext<TrainingCompleted> context) => Ended(context.Message.TrainingId);

    public Task Consume(ConsumeContext<TrainingFailed> context) => Ended(context.Message.TrainingId);

    private Task Heard(Guid trainingId)
    {
        activity.Heard(trainingId);
        return Task.CompletedTask;
    }

    private Task Ended(Guid trainingId)
    {
        activity.Ended(trainingId);
        return Task.CompletedTask;
    }
}
