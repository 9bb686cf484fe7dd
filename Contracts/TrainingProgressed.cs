namespace MnistEvents.Contracts;

/// <summary>Event: where a training run stands; published a few times a second at most.</summary>
public sealed record TrainingProgressed(
    Guid TrainingId,
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    double Loss,
    double Accuracy,
    double ExamplesPerSecond,
    TimeSpan EstimatedRemaining,
    DateTimeOffset At);
