namespace MnistEvents.Gateway.Feedback;

/// <summary>How many corrections are kept, in all and per corrected label (index = digit).</summary>
public sealed record FeedbackSummary(int Count, int[] PerLabel);
