namespace MnistEvents.Contracts;

/// <summary>
/// The model volume's pointer now names this version (a promotion or a person's rollback): every replica serves it,
/// read from its own model path and verified against <paramref name="Sha256"/>. <paramref name="TrainingId"/> names the
/// training whose promotion it was, when one caused it.
/// </summary>
public sealed record ModelActivated(
    string Version,
    string Sha256,
    string Architecture,
    double? TestAccuracy,
    DateTimeOffset TrainedAt,
    string? Previous,
    string ActivatedBy,
    DateTimeOffset ActivatedAt,
    Guid? TrainingId = null);
