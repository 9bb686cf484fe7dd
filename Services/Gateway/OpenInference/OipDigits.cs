namespace MnistEvents.Gateway.OpenInference;

/// <summary>An inference request's one input: <paramref name="Count"/> digits, as pixels in MNIST's own form (784 bytes each, end to end) or as encoded image files still to preprocess.</summary>
public sealed record OipDigits(int Count, byte[]? Pixels, IReadOnlyList<byte[]>? Files);
