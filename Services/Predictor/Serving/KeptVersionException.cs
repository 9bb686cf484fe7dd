namespace MnistEvents.Predictor.Serving;

/// <summary>A batch named a version this replica cannot run: not kept, or its file fails verification. Refused in words, not retried.</summary>
public sealed class KeptVersionException(string message) : Exception(message);
