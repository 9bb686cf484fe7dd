namespace MnistEvents.Contracts;

/// <summary>The retrain policy asked for training <paramref name="TrainingId"/>, for <paramref name="Cause"/> (never fired twice), by <paramref name="Rule"/>, because <paramref name="Reason"/>.</summary>
public sealed record PolicyFired(string Cause, string Rule, string Reason, Guid TrainingId, DateTimeOffset FiredAt);
