namespace MnistEvents.ServiceDefaults.Retraining;

/// <summary>
/// Which retrain settings a training may run with: one rule for whoever acts on a <c>RequestRetrain</c> (the local
/// trainer worker, the cluster's Job launcher), so both refuse the same requests in the same words. A setting left
/// out (null) takes the trainer's default, which is always allowed. The gateway applies it too, so a request that no
/// trainer could run is a 400 at once (and a value JSON cannot carry, such as NaN, never reaches the bus).
/// </summary>
public static class RetrainRules
{
    public const int MinimumLimit = 100;
    public const int MaximumBatchSize = 4096;
    public const double MaximumLearningRate = 100;

    /// <param name="maxEpochs">The acting trainer's own ceiling; null where it is not known (the gateway), left to whoever trains.</param>
    /// <returns>Why the settings cannot run, or null when they can.</returns>
    public static string? Refusal(int? epochs, int? batchSize, double? learningRate, int? limit, int? maxEpochs = null)
    {
        if (epochs is < 1) return "epochs must be at least 1";
        if (epochs > maxEpochs) return $"epochs must be at most {maxEpochs}";
        if (batchSize is < 1 or > MaximumBatchSize) return $"batch size must be between 1 and {MaximumBatchSize}";
        if (learningRate is <= 0 or > MaximumLearningRate || learningRate is { } rate && !double.IsFinite(rate))
            return $"learning rate must be above 0 and at most {MaximumLearningRate}";
        if (limit is < MinimumLimit) return $"limit must be at least {MinimumLimit} training images";
        return null;
    }
}
