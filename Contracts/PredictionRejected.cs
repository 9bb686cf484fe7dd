namespace MnistEvents.Contracts;

/// <summary>
/// The response to a <see cref="PredictDigitBatch"/> request a predictor will not classify (its pixels are not
/// <c>RequestIds.Length</c> whole 28×28 images): a refusal, with <paramref name="Reason"/> in words, rather than a
/// silence its caller would wait out.
/// </summary>
public sealed record PredictionRejected(Guid BatchId, string Reason);
