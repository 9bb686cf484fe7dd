namespace MnistEvents.Contracts;

/// <summary>
/// Command: train a new model. Null settings take the Trainer's defaults; <paramref name="Limit"/> trains on the first N
/// images; <paramref name="PromoteRegardless"/> serves the result even if the promotion gate would refuse it;
/// <paramref name="ShadowPredictions"/>, when above 0, has the replicas shadow it on that many live digits before it serves.
/// </summary>
public sealed record RequestRetrain(
    Guid TrainingId,
    int? Epochs,
    int? BatchSize,
    double? LearningRate,
    int? Limit,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    bool PromoteRegardless = false,
    long? ShadowPredictions = null);
