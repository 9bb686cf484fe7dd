namespace MnistEvents.Gateway.OpenInference;

/// <summary>A tensor's name, datatype and shape (-1 for a variable dimension), as model metadata lists them.</summary>
public sealed record OipTensorMetadata(string Name, string Datatype, long[] Shape);
