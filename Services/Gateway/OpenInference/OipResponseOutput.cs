namespace MnistEvents.Gateway.OpenInference;

/// <summary>One output tensor of an inference response; <paramref name="Data"/> is flat, row-major (a <c>float[]</c> or <c>long[]</c>).</summary>
public sealed record OipResponseOutput(string Name, long[] Shape, string Datatype, object Data);
