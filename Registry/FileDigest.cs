namespace MnistEvents.Registry;

/// <summary>A file as a training read it: its name, its sha256 and, where it grows, its length then.</summary>
public sealed record FileDigest(string Name, string Sha256, long? Bytes = null);
