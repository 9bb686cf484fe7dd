namespace MnistEvents.Contracts;

/// <summary>
/// Command from the controller to whoever trains (the trainer worker, or the launcher that makes a Kubernetes Job): run
/// the training <paramref name="TrainingId"/> with these settings, already checked and queued by the controller, which
/// sends one at a time. Null settings take the trainer's defaults.
/// </summary>
public sealed record StartTraining(
    Guid TrainingId,
    int? Epochs,
    int? BatchSize,
    double? LearningRate,
    int? Limit,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    bool PromoteRegardless,
    long? ShadowPredictions);
