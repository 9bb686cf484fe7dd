namespace MnistEvents.Contracts;

/// <summary>
/// Event: a trainer saved a new version to the model volume's versioned store. It is a candidate until the promotion
/// gate decides (<see cref="PromotionDecided"/>); replicas change model only on <see cref="ModelActivated"/>.
/// </summary>
public sealed record ModelSaved(
    string Version,
    string Sha256,
    string Architecture,
    double? TestAccuracy,
    int Epochs,
    DateTimeOffset TrainedAt,
    Guid? TrainingId);
