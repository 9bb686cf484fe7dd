namespace MnistEvents.Registry;

/// <summary>
/// One kept correction, a JSON line of the feedback file: what the model saw (28×28 bytes, white ink on black, base64 in
/// JSON), what it answered with which model and how confident it was, the label a person gave it, and which client
/// gave it (its address; <see cref="CorrectionTrust"/> bounds each client's weight). No upload itself is kept.
/// Corrections kept before clients and confidences were recorded read with neither.
/// </summary>
public sealed record CorrectionRecord(Guid PredictionId, int Label, int Predicted, string ModelVersion, byte[] Pixels, DateTimeOffset CorrectedAt,
    string? Client = null, double? Confidence = null);
