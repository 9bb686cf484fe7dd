namespace MnistEvents.Gateway.Retraining;

/// <summary>The 202 answer of <c>POST /retrain</c>: progress for this id streams as TrainingProgressed events.</summary>
public sealed record RetrainAccepted(Guid TrainingId, string Status);
