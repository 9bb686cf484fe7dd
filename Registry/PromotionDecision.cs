namespace MnistEvents.Registry;

/// <summary>
/// The promotion gate's verdict on a candidate, with both models' scores (fractions, 0..1) on the MNIST test set and
/// the real-uploads validation set. <paramref name="Active"/> is null when there was no model to compare with.
/// </summary>
public sealed record PromotionDecision(
    string Candidate,
    string? Active,
    bool Promoted,
    bool Forced,
    string Reason,
    double CandidateMnist,
    double CandidateUploads,
    double? ActiveMnist,
    double? ActiveUploads,
    double Tolerance,
    DateTimeOffset DecidedAt);
