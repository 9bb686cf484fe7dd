using System.Text.Json.Serialization;
using MnistEvents.Contracts;

namespace MnistEvents.Gateway.Predictions;

/// <summary>The seed's <c>{"class_name": N}</c>, plus what a caller would want to know about the answer.</summary>
public sealed record PredictionResponse(
    [property: JsonPropertyName("class_name")] int ClassName,
    int Digit,
    float Confidence,
    float[] Probabilities,
    string ModelVersion,
    string Replica,
    double ElapsedMs)
{
    public static PredictionResponse From(DigitPredicted p, double elapsedMs) =>
        new(p.Digit, p.Digit, p.Confidence, p.Probabilities, p.ModelVersion, p.Replica, elapsedMs);
}
