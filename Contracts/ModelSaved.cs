namespace MnistEvents.Contracts;

/// <summary>
/// Event: a trainer wrote a new model (atomically) to the shared model volume. It names the version and its sha256,
/// not a path: each replica reads only its own configured model file and serves it only if the sha256 matches.
/// </summary>
public sealed record ModelSaved(
    string Version,
    string Sha256,
    string Architecture,
    double? TestAccuracy,
    int Epochs,
    DateTimeOffset TrainedAt,
    Guid? TrainingId);
