namespace MnistEvents.Registry;

/// <summary>How many corrections are kept, in all and per corrected label (index = digit).</summary>
public sealed record CorrectionsCount(int Count, int[] PerLabel);
