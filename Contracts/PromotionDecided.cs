namespace MnistEvents.Contracts;

/// <summary>
/// The promotion gate's verdict on a newly trained version: promoted (it is now active) or refused (the active model
/// keeps serving), with both models' scores (fractions) on the MNIST test set and the real-uploads validation set.
/// <paramref name="Pending"/>: it passed the gate and serves once the replicas have shadowed it on
/// <paramref name="ShadowPredictions"/> live digits; a second <c>PromotionDecided</c> settles it, with how many digits were
/// compared (<paramref name="ShadowCompared"/>) and the share both models answered alike (<paramref name="ShadowAgreement"/>).
/// </summary>
public sealed record PromotionDecided(
    string Candidate,
    string? Active,
    bool Promoted,
    bool Forced,
    string Reason,
    double CandidateMnist,
    double CandidateUploads,
    double? ActiveMnist,
    double? ActiveUploads,
    double TolerancePoints,
    Guid? TrainingId,
    DateTimeOffset DecidedAt,
    bool Pending = false,
    long? ShadowPredictions = null,
    long? ShadowCompared = null,
    double? ShadowAgreement = null);
