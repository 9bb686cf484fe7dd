namespace MnistEvents.Gateway.OpenInference;

/// <summary>The answer of <c>GET /v2/models/mnist[/versions/{v}]</c>: the versions that may be named (the kept ones), the tensors, and what their fixed form cannot say.</summary>
public sealed record OipModelMetadata(string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<OipTensorMetadata> Inputs,
    IReadOnlyList<OipTensorMetadata> Outputs, IReadOnlyDictionary<string, string> Properties);
