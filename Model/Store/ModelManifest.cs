using System.Text.Json.Serialization;

namespace MnistEvents.Model.Store;

/// <summary>What is known about a saved model; written as JSON beside the model file.</summary>
public sealed record ModelManifest(
    string Version,
    string Sha256,
    string Architecture,
    double? TestAccuracy,
    int Epochs,
    DateTimeOffset TrainedAt,
    int? TrainingExamples = null,
    [property: JsonPropertyName("format")] string Format = ModelManifest.StateDictFormat)
{
    public const string StateDictFormat = "pytorch-state-dict";
}
