namespace MnistEvents.Contracts;

/// <summary>
/// Event: a trainer saved <paramref name="Candidate"/> and scored it beside the served model (<paramref name="Active"/>,
/// null when there was none) on the MNIST test set and the real-uploads validation set (fractions, 0..1): the promotion
/// gate <paramref name="Passed"/> it or not, <paramref name="Forced"/> when it passed only because its training was asked
/// to serve regardless, and <paramref name="Reason"/> says why in words, with what the training made of people's
/// corrections. The trainer judges; the controller decides what follows (serve it, shadow it first on
/// <paramref name="ShadowPredictions"/> live digits, or keep what serves).
/// </summary>
public sealed record CandidateJudged(
    Guid TrainingId,
    string Candidate,
    string? Active,
    bool Passed,
    bool Forced,
    string Reason,
    double CandidateMnist,
    double CandidateUploads,
    double? ActiveMnist,
    double? ActiveUploads,
    double TolerancePoints,
    int HeldBackCorrections,
    double? CandidateCorrections,
    double? ActiveCorrections,
    int TrainedCorrections,
    int RefusedCorrections,
    long ShadowPredictions,
    double? ShadowSampleRate,
    DateTimeOffset JudgedAt);
