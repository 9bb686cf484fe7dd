using System.Text.Json.Serialization;

namespace MnistEvents.Gateway.Predictions;

/// <summary>The seed's <c>{"class_name": N}</c>, plus what a caller would want to know about the answer.</summary>
public sealed record PredictionResponse(
    [property: JsonPropertyName("class_name")] int ClassName,
    int Digit,
    float Confidence,
    float[] Probabilities,
    string ModelVersion,
    string Replica,
    double ElapsedMs);
