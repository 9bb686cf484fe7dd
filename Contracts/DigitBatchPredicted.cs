namespace MnistEvents.Contracts;

/// <summary>The answers to a <see cref="PredictDigitBatch"/>, one <see cref="DigitPredicted"/> per request, in order: its response, or an event when it was sent without a response address.</summary>
public sealed record DigitBatchPredicted(Guid BatchId, DigitPredicted[] Predictions);
