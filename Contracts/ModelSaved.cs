namespace MnistEvents.Contracts;

/// <summary>Event: a trainer wrote a new model file (atomically) at <paramref name="Path"/> on the shared volume; replicas verify it by <paramref name="Sha256"/> before serving it.</summary>
public sealed record ModelSaved(
    string Version,
    string Path,
    string Sha256,
    string Architecture,
    double? TestAccuracy,
    int Epochs,
    DateTimeOffset TrainedAt,
    Guid? TrainingId);
