namespace MnistEvents.Contracts;

/// <summary>Event: a training run began, with its effective settings.</summary>
public sealed record TrainingStarted(
    Guid TrainingId,
    string Architecture,
    int Epochs,
    int BatchSize,
    double LearningRate,
    int TrainingExamples,
    string Worker,
    DateTimeOffset StartedAt);
