using MnistEvents.Model.Training;

namespace MnistEvents.Trainer.Training;

/// <summary>Keeps only the newest progress report from the training thread, for a publisher that samples it a few times a second.</summary>
public sealed class LatestProgress(ITrainingObserver? next = null) : ITrainingObserver
{
    private TrainingProgress? latest;

    public void Progressed(TrainingProgress progress)
    {
        Volatile.Write(ref latest, progress);
        next?.Progressed(progress);
    }

    public void EpochCompleted(EpochResult result) => next?.EpochCompleted(result);

    public TrainingProgress? Take() => Interlocked.Exchange(ref latest, null);
}
