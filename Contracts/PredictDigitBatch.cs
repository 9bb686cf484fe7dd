namespace MnistEvents.Contracts;

/// <summary>
/// Command: classify several digits in one message (the gateway coalesces concurrent HTTP requests into one, so a
/// broker round trip carries many predictions). <paramref name="Pixels"/> holds <c>RequestIds.Length</c> images of 784 bytes, end to end.
/// </summary>
public sealed record PredictDigitBatch(Guid BatchId, Guid[] RequestIds, byte[] Pixels, DateTimeOffset SentAt);
