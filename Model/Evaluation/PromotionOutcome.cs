using MnistEvents.Registry;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// What became of a finished training: the version saved, the gate's verdict, what the store's changes imply
/// (<see cref="Change"/>: <c>ModelSaved</c>, the verdicts, <c>ModelActivated</c> or <c>ShadowStarted</c>, in order, with
/// the activation if it was promoted), and the versions pruned.
/// </summary>
public sealed record PromotionOutcome(ModelManifest Manifest, PromotionDecision Decision, RegistryChange Change, IReadOnlyList<string> Pruned);
