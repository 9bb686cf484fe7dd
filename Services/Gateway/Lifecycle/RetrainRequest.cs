namespace MnistEvents.Gateway.Lifecycle;

/// <summary>The optional body of <c>POST /retrain</c>; anything left out takes the trainer's default.
/// <paramref name="PromoteRegardless"/>: serve the new model even if the promotion gate would refuse it;
/// <paramref name="ShadowPredictions"/>: first shadow it on that many live digits (0: serve at once).</summary>
public sealed record RetrainRequest(int? Epochs, int? BatchSize, double? LearningRate, int? Limit, bool PromoteRegardless = false,
    long? ShadowPredictions = null);
