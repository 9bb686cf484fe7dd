namespace MnistEvents.Gateway.Retraining;

/// <summary>The optional body of <c>POST /retrain</c>; anything left out takes the trainer's default.
/// <paramref name="PromoteRegardless"/>: serve the new model even if the promotion gate would refuse it.</summary>
public sealed record RetrainRequest(int? Epochs, int? BatchSize, double? LearningRate, int? Limit, bool PromoteRegardless = false);
