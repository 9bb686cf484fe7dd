using System.Text.Json.Serialization;

namespace MnistEvents.Registry;

/// <summary>
/// What is known about a saved model; written as JSON beside the model file. <paramref name="UploadsAccuracy"/> is on
/// the real-uploads validation set, <paramref name="Corrections"/> how many user corrections its training mixed in.
/// </summary>
public sealed record ModelManifest(
    string Version,
    string Sha256,
    string Architecture,
    double? TestAccuracy,
    int Epochs,
    DateTimeOffset TrainedAt,
    int? TrainingExamples = null,
    [property: JsonPropertyName("format")] string Format = ModelManifest.StateDictFormat,
    double? UploadsAccuracy = null,
    int? Corrections = null)
{
    public const string StateDictFormat = "pytorch-state-dict";
}
