namespace MnistEvents.Contracts;

/// <summary>Response to <see cref="PredictDigitBatch"/>: one <see cref="DigitPredicted"/> per request, in order.</summary>
public sealed record DigitBatchPredicted(Guid BatchId, DigitPredicted[] Predictions);
