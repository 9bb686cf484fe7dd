namespace MnistEvents.ServiceDefaults.Retraining;

/// <summary>
/// Which retrain settings a training may run with: one rule, with its limits here and nowhere else, for the gateway
/// (a request that no trainer could run is a 400 at once, and a value JSON cannot carry, such as NaN, never reaches the
/// bus) and for whoever acts on a <c>RequestRetrain</c> (the local trainer worker, the cluster's Job launcher), which
/// refuse in the same words whatever reaches them by another way. A setting left out (null) takes the trainer's default.
/// </summary>
public static class RetrainRules
{
    public const int MaximumEpochs = 30;
    public const int MinimumLimit = 100;
    public const int MaximumBatchSize = 4096;
    public const double MaximumLearningRate = 100;
    public const long MaximumShadowPredictions = 1_000_000;

    /// <returns>Why the settings cannot run, or null when they can.</returns>
    public static string? Refusal(int? epochs, int? batchSize, double? learningRate, int? limit, long? shadowPredictions)
    {
        if (epochs is < 1 or > MaximumEpochs) return $"epochs must be between 1 and {MaximumEpochs}";
        if (batchSize is < 1 or > MaximumBatchSize) return $"batch size must be between 1 and {MaximumBatchSize}";
        if (learningRate is <= 0 or > MaximumLearningRate || learningRate is { } rate && !double.IsFinite(rate))
            return $"learning rate must be above 0 and at most {MaximumLearningRate}";
        if (limit is < MinimumLimit) return $"limit must be at least {MinimumLimit} training images";
        if (shadowPredictions is < 0 or > MaximumShadowPredictions)
            return $"shadow predictions must be between 0 (serve at once) and {MaximumShadowPredictions:N0}";
        return null;
    }
}
