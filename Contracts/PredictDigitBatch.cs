namespace MnistEvents.Contracts;

/// <summary>
/// Command: classify several digits in one forward pass. The gateway coalesces whatever predictions arrive together,
/// synchronous and async alike, so one broker round trip carries many. <paramref name="Pixels"/> holds
/// <c>RequestIds.Length</c> images in MNIST's own form, 784 bytes each (28×28, row-major, white ink on black), end to
/// end; never image files. Sent as a request (synchronous callers) it gets a <see cref="DigitBatchPredicted"/> response;
/// sent as a plain command (async submissions) the answers are published as a <see cref="DigitBatchPredicted"/> event.
/// <paramref name="ModelVersion"/>, when set, names a kept version to run instead of the served one (the Open Inference
/// Protocol's versioned routes); a replica that cannot run it answers <see cref="PredictionRejected"/>.
/// </summary>
public sealed record PredictDigitBatch(Guid BatchId, Guid[] RequestIds, byte[] Pixels, DateTimeOffset SentAt, string? ModelVersion = null);
