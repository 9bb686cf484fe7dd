namespace MnistEvents.Gateway.Feedback;

/// <summary>
/// One kept correction as an admin reviews it: what the model saw (<paramref name="ModelInput"/>, 784 bytes, base64) and
/// answered, the label given and by which client, and its standing: <c>trusted</c> (a training learns from it or is
/// judged on it) or <c>refused</c>, with the rule (<paramref name="Reason"/>) and its words; <paramref name="Review"/>
/// is an admin's verdict, if any.
/// </summary>
public sealed record CorrectionView(Guid PredictionId, int Label, int Predicted, double? Confidence, string ModelVersion, string Client,
    DateTimeOffset CorrectedAt, string Standing, string? Reason, string? Detail, string? Review, byte[] ModelInput);
