namespace MnistEvents.Trainer.Cli;

/// <summary>A command line that cannot be run; the message says which flag and why.</summary>
public sealed class UsageException(string message) : Exception(message);
