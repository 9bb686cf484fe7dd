using MnistEvents.Registry;

namespace MnistEvents.Model.Evaluation;

/// <summary>What became of a finished training: the version saved, the gate's verdict, the activation if it was promoted, the versions pruned.</summary>
public sealed record PromotionOutcome(ModelManifest Manifest, PromotionDecision Decision, ModelActivation? Activation, IReadOnlyList<string> Pruned);
