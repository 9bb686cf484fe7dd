using System.Text.Json.Serialization;
using MnistEvents.Contracts;

namespace MnistEvents.Registry;

/// <summary>
/// What is known about a saved model; written as JSON beside the model file. <paramref name="UploadsAccuracy"/> is on
/// the real-uploads validation set, <paramref name="Corrections"/> how many user corrections its training mixed in,
/// <paramref name="Profile"/> what its training and validation data looked like and what it answered on the latter, which
/// the live traffic it serves is compared with (null for a version saved before profiles were kept, until it is next judged against).
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
    int? Corrections = null,
    InputProfile? Profile = null)
{
    public const string StateDictFormat = "pytorch-state-dict";
}
