namespace MnistEvents.Registry;

/// <summary>The settings a version was trained with, as the trainer ran them (defaults filled in).</summary>
public sealed record TrainingSettings(string Architecture, int Epochs, int BatchSize, double LearningRate, int? Limit, bool Augment, long Seed,
    bool PromoteRegardless, long ShadowPredictions);
