namespace MnistEvents.Contracts;

/// <summary>Event: a retrain request will not run (for instance another training is under way); <paramref name="Reason"/> is meant for the UI.</summary>
public sealed record RetrainRejected(Guid TrainingId, string Reason, DateTimeOffset RejectedAt);
