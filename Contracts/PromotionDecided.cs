namespace MnistEvents.Contracts;

/// <summary>
/// The promotion gate's verdict on a newly trained version: promoted (it is now active) or refused (the active model
/// keeps serving), with both models' scores (fractions) on the MNIST test set and the real-uploads validation set.
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
    DateTimeOffset DecidedAt);
