namespace MnistEvents.Registry;

/// <summary>
/// The promotion gate's verdict on a candidate, with both models' scores (fractions, 0..1) on the MNIST test set and
/// the real-uploads validation set. <paramref name="Active"/> is null when there was no model to compare with.
/// <paramref name="Pending"/>: it passed the gate and waits to be shadowed on <paramref name="ShadowPredictions"/> live
/// digits before it serves; the verdict that settles it keeps that number and adds what the shadowing showed.
/// <paramref name="CandidateCorrections"/> and <paramref name="ActiveCorrections"/>: each model's score on the
/// <paramref name="HeldBackCorrections"/> corrections held back from training (already counted in the uploads scores),
/// shown on their own because they are what people said the served model got wrong. <paramref name="TrainedCorrections"/>
/// and <paramref name="RefusedCorrections"/>: how many corrections the candidate learnt from, and how many it was not
/// given because they were not trusted (the reason says why).
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
    DateTimeOffset DecidedAt,
    bool Pending = false,
    long? ShadowPredictions = null,
    ShadowComparison? Shadow = null,
    int HeldBackCorrections = 0,
    double? CandidateCorrections = null,
    double? ActiveCorrections = null,
    int TrainedCorrections = 0,
    int RefusedCorrections = 0);
