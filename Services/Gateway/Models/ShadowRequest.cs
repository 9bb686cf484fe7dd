namespace MnistEvents.Gateway.Models;

/// <summary>The optional body of <c>POST /models/{version}/shadow</c>: the share of batches to shadow (0.1 if left out; 0 stops).</summary>
public sealed record ShadowRequest(double? SampleRate);
