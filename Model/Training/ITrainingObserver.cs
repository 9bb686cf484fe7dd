namespace MnistEvents.Model.Training;

/// <summary>
/// Receives a training run's progress: the console prints it, the bus publishes it. Called on the
/// training thread, so implementations must return quickly (throttle or hand off).
/// </summary>
public interface ITrainingObserver
{
    void Progressed(TrainingProgress progress);

    void EpochCompleted(EpochResult result);
}
