namespace MnistEvents.Contracts;

/// <summary>Event: a training run stopped without a model; <paramref name="Reason"/> says why.</summary>
public sealed record TrainingFailed(Guid TrainingId, string Reason, DateTimeOffset FailedAt);
