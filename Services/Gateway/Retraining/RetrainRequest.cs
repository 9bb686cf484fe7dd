namespace MnistEvents.Gateway.Retraining;

/// <summary>The optional body of <c>POST /retrain</c>; anything left out takes the trainer's default.</summary>
public sealed record RetrainRequest(int? Epochs, int? BatchSize, double? LearningRate, int? Limit);
