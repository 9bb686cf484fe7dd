using MnistEvents.Registry;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// What became of a finished training: the version saved, the gate's verdict, the activation if it was promoted, the
/// versions pruned; when its promotion waits on shadowing, the <see cref="Shadow"/> plan started, and the verdicts of
/// earlier candidates that were waiting and now never will be (<see cref="Superseded"/>).
/// </summary>
public sealed record PromotionOutcome(ModelManifest Manifest, PromotionDecision Decision, ModelActivation? Activation, IReadOnlyList<string> Pruned,
    ShadowPlan? Shadow = null, IReadOnlyList<PromotionDecision>? Superseded = null);
