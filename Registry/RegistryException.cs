namespace MnistEvents.Registry;

/// <summary>The model volume is not as the registry expects: a version that does not exist, a torn file, a lock held too long.</summary>
public sealed class RegistryException(string message, Exception? inner = null) : Exception(message, inner);
