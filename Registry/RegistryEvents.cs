using MnistEvents.Contracts;

namespace MnistEvents.Registry;

/// <summary>The events that announce a change to the store, built from what the store recorded; <see cref="ModelRegistry"/> returns them in a <see cref="RegistryChange"/>.</summary>
public static class RegistryEvents
{
    public static ModelSaved Saved(ModelManifest manifest, Guid? trainingId) =>
        new(manifest.Version, manifest.Sha256, manifest.Architecture, manifest.TestAccuracy, manifest.Epochs, manifest.TrainedAt, trainingId);

    public static PromotionDecided Decided(PromotionDecision decision, Guid? trainingId = null) =>
        new(decision.Candidate, decision.Active, decision.Promoted, decision.Forced, decision.Reason, decision.CandidateMnist,
            decision.CandidateUploads, decision.ActiveMnist, decision.ActiveUploads, decision.Tolerance, trainingId, decision.DecidedAt,
            decision.Pending, decision.ShadowPredictions, decision.Shadow?.Compared,
            decision.Shadow is { Compared: > 0 } shadow ? shadow.Agreed / (double)shadow.Compared : null);

    /// <summary>A trainer's judgement of its candidate, the verdict it reports (its <c>Promoted</c>: the gate passed it), with what its training asked for.</summary>
    public static CandidateJudged Judged(PromotionDecision verdict, Guid trainingId, long shadowPredictions, double? shadowSampleRate) =>
        new(trainingId, verdict.Candidate, verdict.Active, verdict.Promoted, verdict.Forced, verdict.Reason, verdict.CandidateMnist, verdict.CandidateUploads,
            verdict.ActiveMnist, verdict.ActiveUploads, verdict.Tolerance, verdict.HeldBackCorrections, verdict.CandidateCorrections, verdict.ActiveCorrections,
            verdict.TrainedCorrections, verdict.RefusedCorrections, shadowPredictions, shadowSampleRate, verdict.DecidedAt);

    public static ModelActivated Activated(ModelManifest manifest, ModelActivation activation) =>
        new(manifest.Version, manifest.Sha256, manifest.Architecture, manifest.TestAccuracy, manifest.TrainedAt, activation.Previous,
            activation.By, activation.At, activation.TrainingId);

    public static ShadowStarted Started(ShadowPlan plan) => new(plan.Version, plan.Sha256, plan.SampleRate, plan.RequestedBy, plan.StartedAt);

    public static ShadowStopped Stopped(string version, string by, DateTimeOffset at) => new(version, by, at);
}
