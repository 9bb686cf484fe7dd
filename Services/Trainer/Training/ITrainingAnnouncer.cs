namespace MnistEvents.Trainer.Training;

/// <summary>
/// Where a training run's events go (<c>TrainingStarted</c>, <c>TrainingProgressed</c>, the registry's events for the
/// model it saved, <c>TrainingCompleted</c> or <c>TrainingFailed</c>): the bus, the console, or both. A refusal (the
/// broker is away) is thrown, and the run ends in <c>TrainingFailed</c> saying what was already done.
/// </summary>
public interface ITrainingAnnouncer
{
    Task AnnounceAsync(object message, CancellationToken cancellationToken);
}
