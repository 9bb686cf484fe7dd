using MassTransit;
using MnistEvents.Contracts;

namespace MnistEvents.Trainer.Worker;

/// <summary>
/// Takes the controller's <see cref="StartTraining"/> off its queue and writes it to the <see cref="TrainingJournal"/>,
/// which <see cref="TrainingWorker"/> trains from. The message is done with as soon as it is written down, however long
/// the training takes. Its settings were checked by the controller, which alone may send here.
/// </summary>
public sealed class StartTrainingConsumer(TrainingJournal journal, ILogger<StartTrainingConsumer> logger) : IConsumer<StartTraining>
{
    public Task Consume(ConsumeContext<StartTraining> context)
    {
        var training = context.Message;
        if (journal.TryAdd(training)) logger.LogInformation("Training {TrainingId} taken on", training.TrainingId);
        else logger.LogInformation("Training {TrainingId} was already taken on; this copy is ignored", training.TrainingId);
        return Task.CompletedTask;
    }
}
