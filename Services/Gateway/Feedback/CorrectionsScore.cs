namespace MnistEvents.Gateway.Feedback;

/// <summary>The served model (<paramref name="Version"/>, the one most of its answers came from) on the latest <paramref name="Evaluated"/> corrections: the share it now labels as the person did.</summary>
public sealed record CorrectionsScore(string Version, int Evaluated, double Accuracy);
