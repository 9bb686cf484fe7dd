namespace MnistEvents.Contracts;

/// <summary>One digit's answer (<see cref="DigitBatchPredicted.Predictions"/> gives a batch's): the digit, its probability, all ten probabilities, and who answered with which model.</summary>
public sealed record DigitPredicted(
    Guid RequestId,
    int Digit,
    float Confidence,
    float[] Probabilities,
    string ModelVersion,
    string Replica,
    double InferenceMs,
    DateTimeOffset PredictedAt);
