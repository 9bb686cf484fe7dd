using System.Text.Json.Serialization;
using MnistEvents.Contracts;

namespace MnistEvents.Gateway.Predictions;

/// <summary>
/// The seed's <c>{"class_name": N}</c>, plus what a caller would want to know about the answer,
/// <paramref name="ModelInput"/>: what the model saw, the upload after preprocessing (28×28 bytes, row-major, white ink
/// on black, base64), and <paramref name="Warnings"/>: why the answer may be doubtful, in words (empty when nothing was).
/// </summary>
public sealed record PredictionResponse(
    [property: JsonPropertyName("class_name")] int ClassName,
    int Digit,
    float Confidence,
    float[] Probabilities,
    string ModelVersion,
    string Replica,
    double ElapsedMs,
    byte[] ModelInput,
    IReadOnlyList<string> Warnings)
{
    public static PredictionResponse From(DigitPredicted p, byte[] modelInput, IReadOnlyList<string> warnings, double elapsedMs) =>
        new(p.Digit, p.Digit, p.Confidence, p.Probabilities, p.ModelVersion, p.Replica, elapsedMs, modelInput, warnings);
}
