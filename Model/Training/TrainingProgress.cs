namespace MnistEvents.Model.Training;

/// <summary>Where a training run stands after a logged batch.</summary>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    int ExamplesSeen,
    int ExamplesPerEpoch,
    double Loss,
    double BatchAccuracy,
    double ExamplesPerSecond,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining);
