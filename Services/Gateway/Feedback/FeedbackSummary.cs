namespace MnistEvents.Gateway.Feedback;

/// <summary>
/// How many corrections are kept, in all and per corrected label (index = digit); with <c>GET /feedback</c>, how the
/// served model now answers the latest of them.
/// </summary>
public sealed record FeedbackSummary(int Count, int[] PerLabel, CorrectionsScore? ActiveModel = null);
