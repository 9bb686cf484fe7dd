using MnistEvents.Registry;

namespace MnistEvents.Gateway.Models;

/// <summary>
/// One kept version as <c>GET /models</c> lists it: what it is, how it scored, the gate's verdict, which live replicas
/// serve it, and what shadowing it showed when that last ended (<paramref name="Shadowed"/>).
/// </summary>
public sealed record ModelVersionView(
    string Version,
    string Architecture,
    double? TestAccuracy,
    double? UploadsAccuracy,
    int Epochs,
    int? TrainingExamples,
    int? Corrections,
    DateTimeOffset TrainedAt,
    bool Active,
    bool Previous,
    PromotionDecision? Promotion,
    IReadOnlyList<string> ServedBy,
    ShadowComparison? Shadowed);
