namespace MnistEvents.Contracts;

/// <summary>Event: a training run finished and saved <paramref name="ModelVersion"/> (announced separately by <see cref="ModelSaved"/>).</summary>
public sealed record TrainingCompleted(Guid TrainingId, string ModelVersion, double TestAccuracy, int Epochs, TimeSpan Duration, DateTimeOffset CompletedAt);
