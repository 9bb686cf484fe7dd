using MnistEvents.Registry;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// What became of a finished training: the version saved, the gate's verdict on it (<see cref="Decision"/>, its
/// <c>Promoted</c> meaning the gate passed it), what the store's changes imply (<see cref="Change"/>: <c>ModelSaved</c>),
/// and the versions pruned.
/// </summary>
public sealed record PromotionOutcome(ModelManifest Manifest, PromotionDecision Decision, RegistryChange Change, IReadOnlyList<string> Pruned);
