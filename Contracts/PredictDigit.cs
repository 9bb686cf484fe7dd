namespace MnistEvents.Contracts;

/// <summary>Command: classify one digit. <paramref name="Pixels"/> is MNIST's own form, 784 bytes (28×28, row-major, white ink on black); never an image file.</summary>
public sealed record PredictDigit(Guid RequestId, byte[] Pixels, DateTimeOffset SentAt);
