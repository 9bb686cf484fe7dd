namespace MnistEvents.Registry;

/// <summary>
/// One kept correction, a JSON line of the feedback file: what the model saw (28×28 bytes, white ink on black, base64 in
/// JSON), what it answered with which model, and the label a person gave it. No upload itself is kept.
/// </summary>
public sealed record CorrectionRecord(Guid PredictionId, int Label, int Predicted, string ModelVersion, byte[] Pixels, DateTimeOffset CorrectedAt);
