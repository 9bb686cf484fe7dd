using MnistEvents.Registry;

namespace MnistEvents.Gateway.Models;

/// <summary>
/// <c>GET /models/{version}/lineage</c>: a kept version traced back to its data. <paramref name="Training"/> is the run
/// (id, who or what asked and why, settings) and its data (the MNIST files' sha256, the images, the corrections with
/// the corrections file's sha256 as it was read); null for a version saved without one (the seed's adopted file).
/// Then the gate's verdict with both scores, what shadowing showed, each time it was activated (who, when, replacing
/// what) and each time another replaced it.
/// </summary>
public sealed record ModelLineageView(
    string Version,
    string Sha256,
    string Architecture,
    DateTimeOffset TrainedAt,
    double? TestAccuracy,
    double? UploadsAccuracy,
    TrainingLineage? Training,
    PromotionDecision? Promotion,
    ShadowComparison? Shadowed,
    IReadOnlyList<ModelActivation> Activations,
    IReadOnlyList<ModelActivation> ReplacedBy);
